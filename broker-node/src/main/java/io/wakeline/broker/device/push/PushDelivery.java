package io.wakeline.broker.device.push;

import io.wakeline.broker.device.DeviceConnectionStatus;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.WebPushMessage;
import io.wakeline.broker.device.WnsPush;
import io.wakeline.broker.device.WnsType;
import io.wakeline.broker.device.link.DeliveryMode;
import io.wakeline.broker.device.link.LinkMessage;
import io.wakeline.broker.device.policy.DevicePolicy;
import io.wakeline.broker.device.policy.DevicePolicyEvent;
import io.wakeline.broker.device.policy.DevicePolicyState;
import io.wakeline.broker.device.policy.PowerState;
import io.wakeline.broker.device.policy.RawPushDecision;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Every push of one device on its way to the link, decided in one place, without Akka: WNS (toast, tile, badge,
 * raw) and Web Push, through the {@link PushInbox} (power matrix, offline cache, store) and the push receipts.
 * One instance per entity, in memory only (pushes are never journaled: DESIGN.md "The two paths"), used from the
 * entity's thread; the entity journals, sends and records what each {@link Step} says.
 *
 * <p>A raw push to a connected device first passes the Windows rules (wns-spec 5.4-5.10): a foreground app gets it as
 * an event, a lock-screen app with a push trigger and budget as a background task (whose start is journaled), the next
 * one waits for the running task, anything else is dropped. How it reaches its app is decided then, once, and
 * travels with it ({@link Queued}) through batching and holding. A raw kept while the device was offline passes the
 * rules as they stand when the link is back, like a fresh one.
 */
public final class PushDelivery {
    private final DevicePolicy rules;
    private final PushInbox inbox;
    private final WebPushReceipts receipts;
    /** The raw push waiting for each app's running background task, the latest per app (wns-spec 5.10). */
    private final Map<String, WnsPush> waitingForTask = new HashMap<>();
    private PowerReport power = PowerReport.AFTER_HANDSHAKE;
    private EnergySaver energySaver = EnergySaver.Off;

    public PushDelivery(String deviceId, DevicePolicy rules, PushDeliverySettings settings) {
        this.rules = rules;
        this.inbox = new PushInbox(settings);
        this.receipts = new WebPushReceipts(deviceId, settings.webPushAckWait());
    }

    /**
     * What the entity does for a push or a change: journal {@code events} first (a background task's start), then
     * send {@code sends} to the link, then record {@code receipts} in their event logs.
     */
    public record Step(List<DevicePolicyEvent> events, List<LinkMessage> sends, List<WebPushReceipts.Receipt> receipts) {
        public static final Step NONE = new Step(List.of(), List.of(), List.of());
    }

    /** The answer to a push and the step that goes with it. */
    public record Offered(PushOutcome outcome, Step step) {
    }

    /** A push for the device, whose target the entity found open. */
    public Offered offer(Push push, boolean linkUp, DevicePolicyState policy, long nowMillis) {
        if (linkUp && push instanceof WnsPush wns && wns.type() == WnsType.RAW) {
            RawRoute route = route(wns, policy, nowMillis);
            if (route instanceof RawRoute.Deliver deliver) {
                PushInbox.Offer offer = inbox.offer(deliver.queued(), power, nowMillis);
                return new Offered(offer.outcome(), new Step(deliver.taskStart(), sends(offer.sendNow(), nowMillis), List.of()));
            }
            if (route instanceof RawRoute.Drop drop) {
                return new Offered(new PushOutcome.Dropped(DeviceConnectionStatus.CONNECTED, drop.reason()), Step.NONE);
            }
            return new Offered(new PushOutcome.Stored(DeviceConnectionStatus.CONNECTED,
                    PushOutcome.StoreReason.WAITING_FOR_BACKGROUND_TASK), Step.NONE);
        }
        List<WebPushReceipts.Receipt> given = new ArrayList<>();
        if (push instanceof WebPushMessage message) {
            given.addAll(receipts.accepted(message, nowMillis));
        }
        PushInbox.Offer offer = linkUp ? inbox.offer(Queued.displayed(push), power, nowMillis) : inbox.offerOffline(push, nowMillis);
        List<LinkMessage> sends = sends(offer.sendNow(), nowMillis);
        if (push instanceof WebPushMessage message) {
            given.addAll(receipts.displaced(message, offer.displaced(), nowMillis));
            if (offer.outcome() instanceof PushOutcome.Dropped) {
                given.addAll(receipts.notDelivered(message, nowMillis));
            }
        }
        return new Offered(offer.outcome(), new Step(List.of(), sends, given));
    }

    /**
     * The link came up, with the device's policy state after the handshake: the offline cache's raw pushes pass the
     * Windows rules, then what the power matrix allows goes out, with every Web Push message sent before and not
     * acknowledged (RFC 8030 §6.2: retried until it expires).
     */
    public Step linkUp(DevicePolicyState policy, long nowMillis) {
        power = powerOf(policy);
        List<DevicePolicyEvent> starts = new ArrayList<>();
        DevicePolicyState rulesSee = policy;
        for (WnsPush cached : inbox.takeOfflineCache(nowMillis)) {
            if (cached.type() != WnsType.RAW) {
                inbox.keep(Queued.displayed(cached));
            } else if (route(cached, rulesSee, nowMillis) instanceof RawRoute.Deliver deliver) {
                starts.addAll(deliver.taskStart());
                rulesSee = rulesSee.applyAll(deliver.taskStart());
                inbox.keep(deliver.queued());
            }
        }
        List<LinkMessage> sends = new ArrayList<>(sends(inbox.release(power, nowMillis), nowMillis));
        receipts.unacknowledged(nowMillis).forEach(message -> sends.add(webPush(message, nowMillis)));
        return new Step(starts, sends, List.of());
    }

    /** The link went down: what waited for power goes to the offline cache; waiting raws are dropped. */
    public void linkDown(long nowMillis) {
        waitingForTask.clear();
        inbox.onLinkDown(nowMillis);
    }

    /** The device's power facts changed ({@code batterySaver} null: unchanged); on a live link, what may go now goes. */
    public Step powerReported(DevicePolicyState policy, Boolean batterySaver, boolean linkUp, long nowMillis) {
        if (batterySaver != null) {
            energySaver = batterySaver ? EnergySaver.On : EnergySaver.Off;
        }
        power = powerOf(policy);
        return linkUp ? new Step(List.of(), sends(inbox.release(power, nowMillis), nowMillis), List.of()) : Step.NONE;
    }

    /** The batch interval elapsed (wns-spec 4.17 "Medium batched"). */
    public Step batchDue(boolean linkUp, long nowMillis) {
        return linkUp ? new Step(List.of(), sends(inbox.releaseBatch(power, nowMillis), nowMillis), List.of()) : Step.NONE;
    }

    /** Whether a batch timer should run: the link is up and something waits for the next batch. */
    public boolean wantsBatchTimer(boolean linkUp, long nowMillis) {
        return linkUp && inbox.hasBatched(power, nowMillis);
    }

    /**
     * The app's background task finished (wns-spec 5.10): the raw waiting for it passes the rules as they stand now,
     * if its channel is still open ({@code stillOpen}).
     */
    public Step taskFinished(String appId, DevicePolicyState policy, Predicate<WnsPush> stillOpen, long nowMillis) {
        WnsPush waiting = waitingForTask.remove(appId);
        if (waiting == null || !stillOpen.test(waiting)
                || !(route(waiting, policy, nowMillis) instanceof RawRoute.Deliver deliver)) {
            return Step.NONE;
        }
        return new Step(deliver.taskStart(), sends(inbox.offer(deliver.queued(), power, nowMillis).sendNow(), nowMillis),
                List.of());
    }

    // ---- Web Push messages and receipts (RFC 8030 §5.1, §6.2, §6.3) ------------------------------------------

    /** Whether the message is still stored, undelivered and unexpired. */
    public boolean isStored(String subscriptionId, String messageId, long nowMillis) {
        return inbox.findWebPush(subscriptionId, messageId, nowMillis).isPresent();
    }

    /** The sender deleted the message: the receipts to record if it was still stored (it then never goes out). */
    public Optional<List<WebPushReceipts.Receipt>> delete(String subscriptionId, String messageId, long nowMillis) {
        return inbox.removeWebPush(subscriptionId, messageId, nowMillis)
                ? Optional.of(receipts.deleted(subscriptionId, messageId, nowMillis)) : Optional.empty();
    }

    /** The device acknowledged the message (RFC 8030 §6.2). */
    public List<WebPushReceipts.Receipt> acknowledged(String subscriptionId, String messageId, long nowMillis) {
        return receipts.acknowledged(subscriptionId, messageId, nowMillis);
    }

    /** Receipts whose deadline passed (a TTL's end, or the wait for an acknowledgement). */
    public List<WebPushReceipts.Receipt> receiptsDue(long nowMillis) {
        return receipts.expire(nowMillis);
    }

    /** When {@link #receiptsDue} next has something to do. */
    public Optional<Long> nextReceiptDeadline() {
        return receipts.nextDeadline();
    }

    /** The device app dropped the subscription: its stored messages never go out; their receipts say so. */
    public List<WebPushReceipts.Receipt> unsubscribed(String subscriptionId, long nowMillis) {
        inbox.discardSubscription(subscriptionId);
        return receipts.unsubscribed(subscriptionId, nowMillis);
    }

    /** The channels were closed: nothing kept for them goes out. */
    public void channelsClosed(String appId, List<String> channelIds) {
        inbox.discardChannels(appId, java.util.Set.copyOf(channelIds));
    }

    /** Whether nothing kept could still be delivered and no receipt waits (the entity may passivate). */
    public boolean isIdle(long nowMillis) {
        return !inbox.holdsLiveItems(nowMillis) && receipts.isEmpty();
    }

    // ---- the raw path ------------------------------------------------------------------------------------------

    /** Where the Windows rules send a raw push to a connected device. */
    private sealed interface RawRoute {
        record Deliver(Queued queued, List<DevicePolicyEvent> taskStart) implements RawRoute {
        }

        record Wait() implements RawRoute {
        }

        record Drop(PushOutcome.DropReason reason) implements RawRoute {
        }
    }

    private RawRoute route(WnsPush raw, DevicePolicyState policy, long nowMillis) {
        RawPushDecision decision = rules.rawPush(policy, raw.appId(), nowMillis);
        if (decision instanceof RawPushDecision.DeliverAsEvent) {
            return new RawRoute.Deliver(new Queued(raw, DeliveryMode.ForegroundEvent), List.of());
        }
        if (decision instanceof RawPushDecision.StartBackgroundTask start) {
            return new RawRoute.Deliver(new Queued(raw, DeliveryMode.BackgroundTask), start.events());
        }
        if (decision instanceof RawPushDecision.WaitForRunningTask) {
            waitingForTask.put(raw.appId(), raw);
            return new RawRoute.Wait();
        }
        return new RawRoute.Drop(PushOutcome.DropReason.of(((RawPushDecision.Drop) decision).reason()));
    }

    // ---- to the link -------------------------------------------------------------------------------------------

    private List<LinkMessage> sends(Optional<Queued> now, long nowMillis) {
        return now.map(queued -> List.of(message(queued, nowMillis))).orElse(List.of());
    }

    private List<LinkMessage> sends(List<Queued> released, long nowMillis) {
        return released.stream().map(queued -> message(queued, nowMillis)).toList();
    }

    private LinkMessage message(Queued queued, long nowMillis) {
        if (queued.push() instanceof WnsPush wns) {
            return new LinkMessage.DeliverWns(wns.appId(), wns.channelId(), wns.type().kind(), wns.payload(),
                    wns.messageId(), wns.acceptedAtMillis(), queued.mode());
        }
        return webPush((WebPushMessage) queued.push(), nowMillis);
    }

    /** A Web Push message going out now: it waits for the device's acknowledgement from here. */
    private LinkMessage webPush(WebPushMessage message, long nowMillis) {
        receipts.sent(message, nowMillis);
        return new LinkMessage.DeliverWebPush(message.appId(), message.subscriptionId(), message.payload(),
                message.contentEncoding(), message.messageId(), message.acceptedAtMillis());
    }

    /** The delivery-priority view of the device's power (wns-spec 4.17): the policy's state plus battery saver. */
    private PowerReport powerOf(DevicePolicyState policy) {
        PowerState state = policy.powerState() == PowerState.Off ? PowerState.Active : policy.powerState();
        return new PowerReport(state, policy.powerSource(), energySaver);
    }
}
