package io.wakeline.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wakeline.broker.device.DeviceConnectionStatus;
import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.WnsPush;
import io.wakeline.broker.device.policy.RawDropReason;
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
     * Stored: the store reason. Dropped: the wake policy's reason (wns-spec 5.4, 5.9) when the entity gave one;
     * the entity's other reasons are sentences, told apart only as "TTL 0" or "offline, not cached" until the
     * entity answers them as an enum (a hook for after the entity split).
     */
    static String reason(PushOutcome outcome) {
        if (outcome instanceof PushOutcome.Stored stored) {
            return stored.reason().name().toLowerCase(Locale.ROOT);
        }
        if (outcome instanceof PushOutcome.Dropped dropped) {
            for (RawDropReason reason : RawDropReason.values()) {
                if (reason.name().equals(dropped.reason())) {
                    return reason.name().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
                }
            }
            if (dropped.reason() != null && dropped.reason().startsWith("TTL 0")) {
                return "ttl_zero";
            }
            return dropped.connection() == DeviceConnectionStatus.DISCONNECTED ? "offline_not_cached" : "other";
        }
        return "none";
    }
}
