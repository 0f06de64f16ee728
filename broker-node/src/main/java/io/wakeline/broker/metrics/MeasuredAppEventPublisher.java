package io.wakeline.broker.metrics;

import akka.Done;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.app.events.AppEventPublisher;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The node's {@link AppEventPublisher} with the guaranteed path measured on the way: every receipt the device
 * entities publish passes here, so the rates by fate, the accept → deliver → ack latencies and the backlog
 * board ({@link ReceiptLedger}) need no hook inside the entity. Events are counted once their publish
 * succeeded: a failed publish is retried by the entity and counted then.
 */
public final class MeasuredAppEventPublisher implements AppEventPublisher {
    private final AppEventPublisher publisher;
    private final ReceiptLedger ledger;
    private final Map<AppEvent.MessageFate, Counter> receipts = new EnumMap<>(AppEvent.MessageFate.class);
    private final Map<AppEvent.WebPushReceiptFate, Counter> webPushReceipts = new EnumMap<>(AppEvent.WebPushReceiptFate.class);
    private final Map<AppEvent.ChannelState, Counter> channelStates = new EnumMap<>(AppEvent.ChannelState.class);
    private final Counter upstream;
    private final Counter redeliveries;
    /** By fate and reason; all made up front, never written after. */
    private final Map<String, Counter> ends = new java.util.HashMap<>();
    private final Counter published;
    private final Counter failed;
    private final Timer acceptToDeliver;
    private final Timer acceptToAck;
    private final Timer deliverToAck;

    public MeasuredAppEventPublisher(AppEventPublisher publisher, ReceiptLedger ledger, MeterRegistry registry) {
        this.publisher = publisher;
        this.ledger = ledger;
        for (AppEvent.MessageFate fate : AppEvent.MessageFate.values()) {
            receipts.put(fate, Counter.builder("wakeline.control.receipts")
                    .description("Receipts of guaranteed control messages published by this node's device entities, by fate")
                    .tag("fate", tag(fate)).register(registry));
        }
        for (AppEvent.WebPushReceiptFate fate : AppEvent.WebPushReceiptFate.values()) {
            webPushReceipts.put(fate, Counter.builder("wakeline.webpush.receipts")
                    .description("Web Push push receipts (RFC 8030 §5.1) recorded by this node's device entities, by fate")
                    .tag("fate", tag(fate)).register(registry));
        }
        for (AppEvent.ChannelState state : AppEvent.ChannelState.values()) {
            channelStates.put(state, Counter.builder("wakeline.control.channel.state.changes")
                    .description("Control channels that became active, stale, reset or closed")
                    .tag("state", tag(state)).register(registry));
        }
        for (AppEvent.MessageFate fate : List.of(AppEvent.MessageFate.EXPIRED, AppEvent.MessageFate.REJECTED)) {
            for (ControlEndReason reason : ControlEndReason.values()) {
                ends.put(fate + "|" + reason, Counter.builder("wakeline.control.ended")
                        .description("Control messages that expired or were rejected, by the reason their receipt gives")
                        .tag("fate", tag(fate)).tag("reason", reason.tag())
                        .register(registry));
            }
        }
        redeliveries = Counter.builder("wakeline.control.redeliveries")
                .description("Deliveries of control messages delivered before (after a reconnect or a failover)")
                .register(registry);
        upstream = Counter.builder("wakeline.control.upstream.messages")
                .description("Messages from device apps to their app servers over control channels").register(registry);
        published = Counter.builder("wakeline.app.events.published")
                .description("App events recorded in the apps' event logs").tag("outcome", "ok").register(registry);
        failed = Counter.builder("wakeline.app.events.published")
                .description("App events recorded in the apps' event logs").tag("outcome", "failed").register(registry);
        acceptToDeliver = latency(registry, "wakeline.control.accept.to.deliver",
                "Guaranteed path: from a control message's acceptance (journaled, 2xx) to its first delivery to the device");
        acceptToAck = latency(registry, "wakeline.control.accept.to.ack",
                "Guaranteed path: from a control message's acceptance to the device's ack");
        deliverToAck = latency(registry, "wakeline.control.deliver.to.ack",
                "Guaranteed path: from a control message's first delivery to the device's ack");
        Gauge.builder("wakeline.control.tracked.messages", ledger, ReceiptLedger::inFlight)
                .description("Control messages accepted and not yet acked, expired or rejected, as tracked on this node")
                .register(registry);
        FunctionCounter.builder("wakeline.control.tracking.forgotten", ledger, ReceiptLedger::forgotten)
                .description("In-flight control messages the node stopped tracking because its table was full "
                        + "(wakeline.metrics.receipts.max-tracked)")
                .register(registry);
    }

    private static Timer latency(MeterRegistry registry, String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(Buckets.CONTROL).register(registry);
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public CompletionStage<Done> publish(String appId, List<AppEvent> events) {
        return publisher.publish(appId, events).whenComplete((done, failure) -> {
            if (failure != null) {
                failed.increment(events.size());
            } else {
                published.increment(events.size());
                events.forEach(event -> observe(appId, event));
            }
        });
    }

    private void observe(String appId, AppEvent event) {
        if (event instanceof AppEvent.MessageReceipt receipt) {
            receipts.get(receipt.fate()).increment();
            ReceiptLedger.Timing timing = ledger.record(appId, receipt);
            if (timing.redelivery()) {
                redeliveries.increment();
            }
            if (receipt.fate() == AppEvent.MessageFate.EXPIRED || receipt.fate() == AppEvent.MessageFate.REJECTED) {
                ended(receipt.fate(), ControlEndReason.of(receipt.reason()));
            }
            record(acceptToDeliver, timing.acceptToDeliverMillis());
            record(acceptToAck, timing.acceptToAckMillis());
            record(deliverToAck, timing.deliverToAckMillis());
        } else if (event instanceof AppEvent.WebPushReceipt receipt) {
            webPushReceipts.get(receipt.fate()).increment();
        } else if (event instanceof AppEvent.ChannelStateChanged change) {
            channelStates.get(change.state()).increment();
        } else if (event instanceof AppEvent.UpstreamMessage) {
            upstream.increment();
        }
    }

    private void ended(AppEvent.MessageFate fate, ControlEndReason reason) {
        ends.get(fate + "|" + reason).increment();
    }

    private static void record(Timer timer, long millis) {
        if (millis >= 0) {
            timer.record(millis, TimeUnit.MILLISECONDS);
        }
    }
}
