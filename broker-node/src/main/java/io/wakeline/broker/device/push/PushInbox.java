package io.wakeline.broker.device.push;

import io.wakeline.broker.device.DeviceConnectionStatus;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.WebPushMessage;
import io.wakeline.broker.device.WnsPush;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a device entity decides about pushes, without Akka: deliver now, keep, or drop, given the link and
 * the device's power. One instance per entity, in memory only (pushes are never journaled), used from the
 * entity's thread. The entity sends what this returns and replies with the outcome.
 *
 * <ul>
 *   <li>Link up: the wns-spec 4.17 matrix ({@link DeliveryPriority}) says now, batch or hold.</li>
 *   <li>Link down: WNS notifications go to the {@link OfflineCache}; Web Push messages are stored until their
 *       TTL (RFC 8030 §5.2).</li>
 *   <li>A push with TTL 0 goes out only if it can go out at once; otherwise it is dropped (RFC 8030 §5.2).</li>
 *   <li>When the link drops, deferred WNS notifications become subject to the offline cache.</li>
 * </ul>
 */
public final class PushInbox {
    private final OfflineCache offline;
    private final PendingPushes pending;

    public PushInbox(PushDeliverySettings settings) {
        this.offline = new OfflineCache(settings.offlineCachePolicy(), settings.tileQueue(), settings.offlineCacheMaxAge());
        this.pending = new PendingPushes(settings.maxPendingPerDevice(), settings.maxStoredPerSubscription());
    }

    /** Whether the device has a live link right now. */
    public enum Link {
        Up,
        Down
    }

    /**
     * The outcome to answer with, the push to send now if any, and the stored pushes this one displaced (replaced
     * by its Web Push {@code Topic}, RFC 8030 §5.4, or evicted by the store's bounds): never delivered.
     */
    public record Offer(PushOutcome outcome, Optional<Push> sendNow, List<Push> displaced) {
        Offer(PushOutcome outcome, Optional<Push> sendNow) {
            this(outcome, sendNow, List.of());
        }
    }

    public Offer offer(Push push, Link link, PowerReport power, long nowMillis) {
        if (link == Link.Up) {
            DeliveryDecision decision = DeliveryPriority.decide(power, push.priority());
            if (decision == DeliveryDecision.DeliverNow) {
                return new Offer(new PushOutcome.Delivered(DeviceConnectionStatus.CONNECTED), Optional.of(push));
            }
            if (push.isExpiredAt(nowMillis)) {
                return dropped(DeviceConnectionStatus.CONNECTED, "TTL 0 and the device's power state defers delivery");
            }
            List<Push> displaced = pending.add(push);
            return new Offer(new PushOutcome.Stored(DeviceConnectionStatus.CONNECTED,
                    decision == DeliveryDecision.Batch ? PushOutcome.StoreReason.BATCHED : PushOutcome.StoreReason.HELD),
                    Optional.empty(), displaced);
        }
        if (push instanceof WnsPush wns) {
            OfflineCache.Admission admission = offline.offer(wns, nowMillis);
            if (admission instanceof OfflineCache.Admission.Dropped drop) {
                return dropped(DeviceConnectionStatus.DISCONNECTED, drop.reason());
            }
            return stored(DeviceConnectionStatus.DISCONNECTED, PushOutcome.StoreReason.OFFLINE);
        }
        if (push.isExpiredAt(nowMillis)) {
            return dropped(DeviceConnectionStatus.DISCONNECTED, "TTL 0 and the device is offline");
        }
        List<Push> displaced = pending.add(push);
        return new Offer(new PushOutcome.Stored(DeviceConnectionStatus.DISCONNECTED, PushOutcome.StoreReason.OFFLINE),
                Optional.empty(), displaced);
    }

    /** The link came up: what was cached offline or waiting, and may go out under {@code power}, oldest first. */
    public List<Push> onLinkUp(PowerReport power, long nowMillis) {
        for (WnsPush cached : offline.drain(nowMillis)) {
            pending.add(cached);
        }
        return sorted(pending.release(power, PendingPushes.Trigger.PowerOrLinkChanged, nowMillis));
    }

    /** The link went down: deferred WNS notifications are now offered to the offline cache. */
    public void onLinkDown(long nowMillis) {
        for (Push push : pending.takeAll(push -> push instanceof WnsPush)) {
            offline.offer((WnsPush) push, nowMillis);
        }
    }

    /** The connected device reported new power facts: what may go out now. */
    public List<Push> onPowerChanged(PowerReport power, long nowMillis) {
        return sorted(pending.release(power, PendingPushes.Trigger.PowerOrLinkChanged, nowMillis));
    }

    /** The batch interval elapsed on a connected device: batched pushes go too. */
    public List<Push> onBatchDue(PowerReport power, long nowMillis) {
        return sorted(pending.release(power, PendingPushes.Trigger.BatchDue, nowMillis));
    }

    /** Whether a batch timer should be running for a connected device under {@code power}. */
    public boolean hasBatched(PowerReport power, long nowMillis) {
        return pending.hasBatched(power, nowMillis);
    }

    /** Whether anything kept could still be delivered (an entity holding such items should not passivate). */
    public boolean holdsLiveItems(long nowMillis) {
        return offline.holdsLiveItems(nowMillis) || pending.holdsLiveItems(nowMillis);
    }

    /** The stored, undelivered Web Push message, if any. */
    public Optional<WebPushMessage> findWebPush(String subscriptionId, String messageId, long nowMillis) {
        return pending.findWebPush(subscriptionId, messageId, nowMillis);
    }

    /** Removes a stored Web Push message; whether it was there (undelivered and unexpired). */
    public boolean removeWebPush(String subscriptionId, String messageId, long nowMillis) {
        boolean present = findWebPush(subscriptionId, messageId, nowMillis).isPresent();
        pending.discard(push -> push instanceof WebPushMessage message && message.subscriptionId().equals(subscriptionId)
                && message.messageId().equals(messageId));
        return present;
    }

    /** The channels were closed: nothing kept for them is delivered. */
    public void discardChannels(String appId, Set<String> channelIds) {
        offline.discardChannels(appId, channelIds);
        pending.discard(push -> push instanceof WnsPush wns && wns.appId().equals(appId)
                && channelIds.contains(wns.channelId()));
    }

    /** The subscription was removed: its stored messages are never delivered. */
    public void discardSubscription(String subscriptionId) {
        pending.discard(push -> push instanceof WebPushMessage message && message.subscriptionId().equals(subscriptionId));
    }

    /** For tests: what the offline cache keeps for the app or channel. */
    public List<WnsPush> offlineCached(String appId, String channelId) {
        return offline.peek(appId, channelId);
    }

    private static List<Push> sorted(List<Push> pushes) {
        List<Push> out = new ArrayList<>(pushes);
        out.sort(Comparator.comparingLong(Push::acceptedAtMillis));
        return out;
    }

    private static Offer dropped(DeviceConnectionStatus connection, String reason) {
        return new Offer(new PushOutcome.Dropped(connection, reason), Optional.empty());
    }

    private static Offer stored(DeviceConnectionStatus connection, PushOutcome.StoreReason reason) {
        return new Offer(new PushOutcome.Stored(connection, reason), Optional.empty());
    }
}
