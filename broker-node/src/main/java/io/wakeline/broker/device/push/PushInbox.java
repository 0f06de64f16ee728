package io.wakeline.broker.device.push;

import io.wakeline.broker.device.DeviceConnectionStatus;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushOutcome.DropReason;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.WebPushMessage;
import io.wakeline.broker.device.WnsPush;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a device's pushes wait, without Akka: deliver now, keep, or drop, given the link and the device's power.
 * One instance per entity, in memory only (pushes are never journaled), used from the entity's thread.
 *
 * <ul>
 *   <li>Link up: the wns-spec 4.17 matrix ({@link DeliveryPriority}) says now, batch or hold.</li>
 *   <li>Link down: WNS notifications go to the {@link OfflineCache}; Web Push messages are stored until their
 *       TTL (RFC 8030 §5.2).</li>
 *   <li>A push with TTL 0 goes out only if it can go out at once; otherwise it is dropped (RFC 8030 §5.2).</li>
 *   <li>When the link drops, deferred WNS notifications become subject to the offline cache (and a raw one's way to
 *       its app is decided again when it comes back).</li>
 * </ul>
 */
public final class PushInbox {
    private final OfflineCache offline;
    private final PendingPushes pending;

    public PushInbox(PushDeliverySettings settings) {
        this.offline = new OfflineCache(settings.offlineCachePolicy(), settings.tileQueue(), settings.offlineCacheMaxAge());
        this.pending = new PendingPushes(settings.maxPendingPerDevice(), settings.maxStoredPerSubscription());
    }

    /**
     * The outcome to answer with, the push to send now if any, and the stored pushes this one displaced (replaced
     * by its Web Push {@code Topic}, RFC 8030 §5.4, or evicted by the store's bounds): never delivered.
     */
    public record Offer(PushOutcome outcome, Optional<Queued> sendNow, List<Push> displaced) {
        Offer(PushOutcome outcome) {
            this(outcome, Optional.empty(), List.of());
        }
    }

    /** A push for a device with a live link, under {@code power}. */
    public Offer offer(Queued queued, PowerReport power, long nowMillis) {
        DeliveryDecision decision = DeliveryPriority.decide(power, queued.push().priority());
        if (decision == DeliveryDecision.DeliverNow) {
            return new Offer(new PushOutcome.Delivered(DeviceConnectionStatus.CONNECTED), Optional.of(queued), List.of());
        }
        if (queued.push().isExpiredAt(nowMillis)) {
            return dropped(DeviceConnectionStatus.CONNECTED, DropReason.TtlZeroDeferred);
        }
        List<Push> displaced = pending.add(queued);
        return new Offer(new PushOutcome.Stored(DeviceConnectionStatus.CONNECTED,
                decision == DeliveryDecision.Batch ? PushOutcome.StoreReason.BATCHED : PushOutcome.StoreReason.HELD),
                Optional.empty(), displaced);
    }

    /** A push for a device without a link. */
    public Offer offerOffline(Push push, long nowMillis) {
        if (push instanceof WnsPush wns) {
            if (offline.offer(wns, nowMillis) instanceof OfflineCache.Admission.Dropped drop) {
                return dropped(DeviceConnectionStatus.DISCONNECTED, drop.reason());
            }
            return new Offer(new PushOutcome.Stored(DeviceConnectionStatus.DISCONNECTED, PushOutcome.StoreReason.OFFLINE));
        }
        if (push.isExpiredAt(nowMillis)) {
            return dropped(DeviceConnectionStatus.DISCONNECTED, DropReason.TtlZeroOffline);
        }
        List<Push> displaced = pending.add(Queued.displayed(push));
        return new Offer(new PushOutcome.Stored(DeviceConnectionStatus.DISCONNECTED, PushOutcome.StoreReason.OFFLINE),
                Optional.empty(), displaced);
    }

    /**
     * The link came up: what the offline cache kept, still deliverable, oldest first. Nothing is decided for these
     * yet: the caller keeps each with its way to the app ({@link #keep}), then {@link #release}s.
     */
    public List<WnsPush> takeOfflineCache(long nowMillis) {
        return offline.drain(nowMillis);
    }

    /** Keeps a push for the live link until the power matrix lets it go ({@link #release}). */
    public void keep(Queued queued) {
        pending.add(queued);
    }

    /** The link came up or the connected device reported new power facts: what may go out now, oldest first. */
    public List<Queued> release(PowerReport power, long nowMillis) {
        return sorted(pending.release(power, PendingPushes.Trigger.PowerOrLinkChanged, nowMillis));
    }

    /** The batch interval elapsed on a connected device: batched pushes go too. */
    public List<Queued> releaseBatch(PowerReport power, long nowMillis) {
        return sorted(pending.release(power, PendingPushes.Trigger.BatchDue, nowMillis));
    }

    /** The link went down: deferred WNS notifications are now offered to the offline cache. */
    public void onLinkDown(long nowMillis) {
        for (Push push : pending.takeAll(push -> push instanceof WnsPush)) {
            offline.offer((WnsPush) push, nowMillis);
        }
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

    private static List<Queued> sorted(List<Queued> pushes) {
        List<Queued> out = new ArrayList<>(pushes);
        out.sort(Comparator.comparingLong(queued -> queued.push().acceptedAtMillis()));
        return out;
    }

    private static Offer dropped(DeviceConnectionStatus connection, DropReason reason) {
        return new Offer(new PushOutcome.Dropped(connection, reason));
    }
}
