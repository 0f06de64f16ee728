package io.wakeline.broker.device.push;

import io.wakeline.broker.CborSerializable;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.app.events.AppEvent.WebPushReceiptFate;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.WebPushMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Push receipts of one device's Web Push messages (RFC 8030 §5.1, §6.2, §6.3), without Akka: which messages
 * asked for a receipt, whether each is still stored or was sent and awaits the device's acknowledgement, and
 * which receipt each event produces. One instance per device entity, in memory only (like the stored messages
 * themselves), used from the entity's thread; the entity records what this returns in the receipt
 * subscriptions' event logs.
 *
 * <ul>
 *   <li>acknowledged by the device ({@code WebPushAck}): 204, {@link WebPushReceiptFate#ACKNOWLEDGED};</li>
 *   <li>TTL ended before an acknowledgement (a sent message waits at least {@code ackWait}): 410, expired;</li>
 *   <li>deleted by the sender while stored: 410, deleted;</li>
 *   <li>TTL 0 and not deliverable at once, or evicted from a full store: 410, not delivered;</li>
 *   <li>the device app dropped the subscription: 410, unsubscribed;</li>
 *   <li>replaced by a newer message with its {@code Topic} while stored: no receipt (§5.4 "SHOULD be
 *       suppressed"); the newer message carries its own receipt request.</li>
 * </ul>
 * Messages whose sender did not ask for a receipt are never tracked and never produce one.
 */
public final class WebPushReceipts {
    /** Messages awaiting a receipt per device, stored or sent and unacknowledged. */
    public static final int MAX_TRACKED = 1_000;

    private final String deviceId;
    private final long ackWaitMillis;
    /** By {@link #key}: arrival order. */
    private final Map<String, Tracked> tracked = new LinkedHashMap<>();

    public WebPushReceipts(String deviceId, Duration ackWait) {
        this.deviceId = deviceId;
        this.ackWaitMillis = ackWait.toMillis();
    }

    /** A receipt to record in the event log of receipt subscription {@code receiptSubscriptionId}. */
    public record Receipt(String receiptSubscriptionId, AppEvent.WebPushReceipt event) implements CborSerializable {
    }

    private static final class Tracked {
        final WebPushMessage message;
        /** 0 while stored; when it was last sent to the device otherwise. */
        long sentAtMillis;

        Tracked(WebPushMessage message) {
            this.message = message;
        }

        boolean sent() {
            return sentAtMillis > 0;
        }
    }

    /**
     * A message was accepted for the device: tracked if its sender asked for a receipt. A device tracks at most
     * {@link #MAX_TRACKED} messages: beyond that the oldest is given up with a 410 "not delivered" receipt (returned),
     * so a device that never acknowledges cannot make its entity grow without bound.
     */
    public List<Receipt> accepted(WebPushMessage message, long nowMillis) {
        if (!message.receiptRequested()) {
            return List.of();
        }
        tracked.putIfAbsent(key(message.subscriptionId(), message.messageId()), new Tracked(message));
        if (tracked.size() <= MAX_TRACKED) {
            return List.of();
        }
        String oldest = tracked.keySet().iterator().next();
        return finish(oldest, WebPushReceiptFate.NOT_DELIVERED, nowMillis);
    }

    /** The message went out on the device's link; it now waits for the device's acknowledgement. */
    public void sent(WebPushMessage message, long nowMillis) {
        Tracked t = tracked.get(key(message.subscriptionId(), message.messageId()));
        if (t != null) {
            t.sentAtMillis = Math.max(1, nowMillis);
        }
    }

    /** The message was neither delivered nor kept (TTL 0 and the device cannot take it now, RFC 8030 §5.2). */
    public List<Receipt> notDelivered(WebPushMessage message, long nowMillis) {
        return finish(key(message.subscriptionId(), message.messageId()), WebPushReceiptFate.NOT_DELIVERED, nowMillis);
    }

    /**
     * Stored pushes {@code newcomer} displaced: one with its subscription and {@code Topic} was replaced (its receipt is
     * suppressed, RFC 8030 §5.4); any other was evicted by the store's bounds and is never delivered (410).
     */
    public List<Receipt> displaced(WebPushMessage newcomer, List<Push> gone, long nowMillis) {
        List<Receipt> receipts = new ArrayList<>();
        for (Push push : gone) {
            if (!(push instanceof WebPushMessage old)) {
                continue;
            }
            String key = key(old.subscriptionId(), old.messageId());
            boolean replaced = newcomer.hasTopic() && old.subscriptionId().equals(newcomer.subscriptionId())
                    && old.topic().equals(newcomer.topic());
            if (replaced) {
                tracked.remove(key);
            } else {
                receipts.addAll(finish(key, WebPushReceiptFate.NOT_DELIVERED, nowMillis));
            }
        }
        return receipts;
    }

    /** The device acknowledged the message (RFC 8030 §6.2): 204, once. Unknown or finished messages: nothing. */
    public List<Receipt> acknowledged(String subscriptionId, String messageId, long nowMillis) {
        return finish(key(subscriptionId, messageId), WebPushReceiptFate.ACKNOWLEDGED, nowMillis);
    }

    /** The sender deleted the stored message (DELETE on its message resource) before it was delivered. */
    public List<Receipt> deleted(String subscriptionId, String messageId, long nowMillis) {
        return finish(key(subscriptionId, messageId), WebPushReceiptFate.DELETED, nowMillis);
    }

    /** The subscription was dropped: none of its messages will be acknowledged. */
    public List<Receipt> unsubscribed(String subscriptionId, long nowMillis) {
        return finishAll(t -> t.message.subscriptionId().equals(subscriptionId), WebPushReceiptFate.UNSUBSCRIBED,
                nowMillis);
    }

    /** Messages past their deadline ({@link #deadlineOf}) without an acknowledgement: 410. */
    public List<Receipt> expire(long nowMillis) {
        return finishAll(t -> deadlineOf(t) <= nowMillis, WebPushReceiptFate.EXPIRED, nowMillis);
    }

    /**
     * Sent messages not acknowledged yet and still within their TTL, in arrival order: what a new link gets again
     * (RFC 8030 §6.2: retry until expiry). Stored messages are not among them (the inbox holds those).
     */
    public List<WebPushMessage> unacknowledged(long nowMillis) {
        List<WebPushMessage> out = new ArrayList<>();
        for (Tracked t : tracked.values()) {
            if (t.sent() && !t.message.isExpiredAt(nowMillis)) {
                out.add(t.message);
            }
        }
        return out;
    }

    /** When {@link #expire} next has something to do, if anything is tracked. */
    public Optional<Long> nextDeadline() {
        return tracked.values().stream().map(this::deadlineOf).min(Long::compare);
    }

    public boolean isEmpty() {
        return tracked.isEmpty();
    }

    public int size() {
        return tracked.size();
    }

    /** The TTL's end; for a sent message, no sooner than {@code ackWait} after it was (last) sent. */
    private long deadlineOf(Tracked t) {
        long expires = t.message.expiresAtMillis();
        return t.sent() ? Math.max(expires, t.sentAtMillis + ackWaitMillis) : expires;
    }

    private List<Receipt> finish(String key, WebPushReceiptFate fate, long nowMillis) {
        Tracked t = tracked.remove(key);
        return t == null ? List.of() : List.of(receipt(t.message, fate, nowMillis));
    }

    private List<Receipt> finishAll(Predicate<Tracked> which, WebPushReceiptFate fate, long nowMillis) {
        List<Receipt> receipts = new ArrayList<>();
        for (Iterator<Tracked> it = tracked.values().iterator(); it.hasNext(); ) {
            Tracked t = it.next();
            if (which.test(t)) {
                it.remove();
                receipts.add(receipt(t.message, fate, nowMillis));
            }
        }
        return receipts;
    }

    private Receipt receipt(WebPushMessage message, WebPushReceiptFate fate, long nowMillis) {
        WebPushMessage.ReceiptRequest request = message.receipt();
        return new Receipt(request.receiptSubscriptionId(), new AppEvent.WebPushReceipt(deviceId,
                message.subscriptionId(), message.messageId(), request.messageResource(), fate, nowMillis));
    }

    private static String key(String subscriptionId, String messageId) {
        return subscriptionId + "\n" + messageId;
    }
}
