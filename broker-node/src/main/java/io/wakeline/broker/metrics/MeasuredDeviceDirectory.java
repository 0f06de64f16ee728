package io.wakeline.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.WnsPush;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The app gateways' {@link DeviceDirectory} with each push's outcome at the device entity counted, and why it
 * was stored or dropped: {@code wakeline_push_outcomes_total{push, outcome, reason}}. The gateway answers only
 * "dropped"; the entity's answer already carries the reason, so no hook inside the entity is needed.
 */
public final class MeasuredDeviceDirectory implements DeviceDirectory {
    private final DeviceDirectory devices;
    private final MeterRegistry registry;
    /** Bounded by the vocabularies of {@link #kind}, {@link #outcome} and {@link #reason}. */
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    public MeasuredDeviceDirectory(DeviceDirectory devices, MeterRegistry registry) {
        this.devices = devices;
        this.registry = registry;
    }

    @Override
    public CompletionStage<PushOutcome> deliver(Push push) {
        return devices.deliver(push).whenComplete((outcome, failure) -> {
            if (failure == null) {
                count(kind(push), outcome);
            }
        });
    }

    @Override
    public CompletionStage<DeviceEntity.StoredWebPushMessage> manageWebPushMessage(String deviceId, String subscriptionId,
                                                                                  String messageId,
                                                                                  DeviceEntity.MessageAction action) {
        return devices.manageWebPushMessage(deviceId, subscriptionId, messageId, action);
    }

    private void count(String push, PushOutcome outcome) {
        String name = outcome(outcome);
        String reason = reason(outcome);
        counters.computeIfAbsent(push + '|' + name + '|' + reason, key -> Counter.builder("wakeline.push.outcomes")
                        .description("Pushes offered to device entities by what the entity did with them, and why")
                        .tag("push", push).tag("outcome", name).tag("reason", reason)
                        .register(registry))
                .increment();
    }

    static String kind(Push push) {
        return push instanceof WnsPush wns ? "wns_" + wns.type().name().toLowerCase(Locale.ROOT) : "webpush";
    }

    static String outcome(PushOutcome outcome) {
        if (outcome instanceof PushOutcome.Delivered) {
            return "delivered";
        } else if (outcome instanceof PushOutcome.Stored) {
            return "stored";
        } else if (outcome instanceof PushOutcome.Dropped) {
            return "dropped";
        } else if (outcome instanceof PushOutcome.TargetUnknown) {
            return "unknown_target";
        }
        return "closed_target";
    }

    /**
     * Stored: the store reason. Dropped: the entity's drop reason (the wake policy's, wns-spec 5.4, 5.9, or the
     * offline and TTL rules), both closed enums, so the label's values are bounded.
     */
    static String reason(PushOutcome outcome) {
        if (outcome instanceof PushOutcome.Stored stored) {
            return snakeCase(stored.reason().name());
        }
        if (outcome instanceof PushOutcome.Dropped dropped) {
            return snakeCase(dropped.reason().name());
        }
        return "none";
    }

    private static String snakeCase(String enumName) {
        return enumName.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
