package io.wakeline.broker.device;

import io.wakeline.broker.CborSerializable;

/**
 * A Web Push message (RFC 8030 §5) for one subscription. The payload is relayed byte-identical with its
 * {@code Content-Encoding} (RFC 8291 §4); {@code Urgency} and {@code Topic} steer delivery and are never
 * forwarded to the device.
 *
 * @param contentEncoding  {@code aes128gcm}, or empty for a message without payload
 * @param ttlSeconds       the accepted {@code TTL}; 0 means deliver only to a device connected now (RFC 8030 §5.2)
 * @param topic            empty when absent; a newer message with the same topic replaces an undelivered one
 * @param receipt          where a push receipt goes (RFC 8030 §5.1), {@link ReceiptRequest#NONE} unless the
 *                         sender asked for one with {@code Prefer: respond-async}
 */
public record WebPushMessage(
        String deviceId,
        String appId,
        String subscriptionId,
        byte[] payload,
        String contentEncoding,
        long ttlSeconds,
        WebPushUrgency urgency,
        String topic,
        ReceiptRequest receipt,
        String messageId,
        long acceptedAtMillis) implements Push {

    /** Receipt time plus TTL; the gateway bounds TTL (at most 2^31 s), so the sum cannot overflow. */
    @Override
    public long expiresAtMillis() {
        return acceptedAtMillis + ttlSeconds * 1000;
    }

    @Override
    public PushPriority priority() {
        return urgency.priority();
    }

    public boolean hasTopic() {
        return !topic.isEmpty();
    }

    public boolean receiptRequested() {
        return receipt.isRequested();
    }

    /**
     * A push receipt asked for (RFC 8030 §5.1): the receipt subscription it goes to, and the message resource
     * ({@code Location} of the send) the receipt names.
     */
    public record ReceiptRequest(String receiptSubscriptionId, String messageResource) implements CborSerializable {
        public static final ReceiptRequest NONE = new ReceiptRequest("", "");

        public boolean isRequested() {
            return !receiptSubscriptionId.isEmpty();
        }
    }
}
