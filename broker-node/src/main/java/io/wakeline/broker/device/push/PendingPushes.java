package io.wakeline.broker.device.push;

import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.WebPushMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Pushes waiting for the device: WNS notifications a connected device's power state defers (wns-spec 4.17), and
 * Web Push messages waiting for the link or for power (RFC 8030 §5.2 store and forward). Arrival order; one
 * instance per device entity, in memory only, used from one thread.
 *
 * <p>A Web Push message replaces the undelivered one of its subscription with the same {@code Topic} (RFC 8030
 * §5.4). Bounds: {@code maxPerSubscription} Web Push messages per subscription and {@code maxPerDevice} in all;
 * past either, the oldest concerned entry is evicted.
 */
public final class PendingPushes {
    private final int maxPerDevice;
    private final int maxPerSubscription;
    private final List<Queued> entries = new ArrayList<>();

    public PendingPushes(int maxPerDevice, int maxPerSubscription) {
        if (maxPerDevice < 1 || maxPerSubscription < 1) {
            throw new IllegalArgumentException("bounds must be positive");
        }
        this.maxPerDevice = maxPerDevice;
        this.maxPerSubscription = maxPerSubscription;
    }

    /** What {@link #release} is reacting to. */
    public enum Trigger {
        /** The link came up or the power state changed: only what may go out now leaves. */
        PowerOrLinkChanged,
        /** The batch interval elapsed: batched pushes leave too. */
        BatchDue
    }

    /** Adds a push; returns what it replaced or evicted (never delivered). */
    public List<Push> add(Queued queued) {
        List<Push> gone = new ArrayList<>(1);
        if (queued.push() instanceof WebPushMessage message) {
            if (message.hasTopic()) {
                removeInto(gone, other -> other instanceof WebPushMessage waiting
                        && waiting.subscriptionId().equals(message.subscriptionId())
                        && waiting.topic().equals(message.topic()));
            }
            long ofSubscription = entries.stream().filter(other -> other.push() instanceof WebPushMessage waiting
                    && waiting.subscriptionId().equals(message.subscriptionId())).count();
            if (ofSubscription >= maxPerSubscription) {
                evictOldest(gone, other -> other instanceof WebPushMessage waiting
                        && waiting.subscriptionId().equals(message.subscriptionId()));
            }
        }
        if (entries.size() >= maxPerDevice) {
            evictOldest(gone, other -> true);
        }
        entries.add(queued);
        return gone;
    }

    /**
     * Takes out, oldest first, what may be sent to a connected device under {@code power}; drops what expired.
     * {@link DeliveryDecision#Batch} pushes leave only on {@link Trigger#BatchDue}.
     */
    public List<Queued> release(PowerReport power, Trigger trigger, long nowMillis) {
        List<Queued> send = new ArrayList<>();
        for (Iterator<Queued> it = entries.iterator(); it.hasNext(); ) {
            Queued queued = it.next();
            if (queued.push().isExpiredAt(nowMillis)) {
                it.remove();
                continue;
            }
            DeliveryDecision decision = DeliveryPriority.decide(power, queued.push().priority());
            if (decision == DeliveryDecision.DeliverNow
                    || (decision == DeliveryDecision.Batch && trigger == Trigger.BatchDue)) {
                it.remove();
                send.add(queued);
            }
        }
        return send;
    }

    /** Takes out every push matching {@code which} (e.g. WNS pushes when the device goes offline). */
    public List<Push> takeAll(Predicate<Push> which) {
        List<Push> taken = new ArrayList<>();
        removeInto(taken, which);
        return taken;
    }

    /** Whether a push waits for the next batch under {@code power}. */
    public boolean hasBatched(PowerReport power, long nowMillis) {
        return entries.stream().anyMatch(queued -> !queued.push().isExpiredAt(nowMillis)
                && DeliveryPriority.decide(power, queued.push().priority()) == DeliveryDecision.Batch);
    }

    public boolean holdsLiveItems(long nowMillis) {
        return entries.stream().anyMatch(queued -> !queued.push().isExpiredAt(nowMillis));
    }

    /** The undelivered, unexpired Web Push message, if it is still here. */
    public Optional<WebPushMessage> findWebPush(String subscriptionId, String messageId, long nowMillis) {
        return entries.stream()
                .map(Queued::push)
                .filter(push -> push instanceof WebPushMessage message && message.subscriptionId().equals(subscriptionId)
                        && message.messageId().equals(messageId) && !message.isExpiredAt(nowMillis))
                .map(WebPushMessage.class::cast)
                .findFirst();
    }

    /** Forgets every push matching {@code which}. */
    public void discard(Predicate<Push> which) {
        entries.removeIf(queued -> which.test(queued.push()));
    }

    public int size() {
        return entries.size();
    }

    private void removeInto(List<Push> out, Predicate<Push> which) {
        for (Iterator<Queued> it = entries.iterator(); it.hasNext(); ) {
            Push push = it.next().push();
            if (which.test(push)) {
                it.remove();
                out.add(push);
            }
        }
    }

    private void evictOldest(List<Push> out, Predicate<Push> which) {
        for (Iterator<Queued> it = entries.iterator(); it.hasNext(); ) {
            Push push = it.next().push();
            if (which.test(push)) {
                it.remove();
                out.add(push);
                return;
            }
        }
    }
}
