package io.wakeline.broker.gateway.webpush;

/**
 * What a receipt subscription ({@code Link rel="urn:ietf:params:push:receipt"} of a 202, RFC 8030 §5.1) stands
 * for: the event log its push receipts are recorded in, until it expires. Not tied to one push subscription: an
 * application server may hand it back on sends to any of its subscriptions to aggregate their receipts (§5.1).
 */
public record ReceiptSubscriptionToken(String receiptSubscriptionId, long expiresAtMillis) {

    public boolean isExpiredAt(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }
}
