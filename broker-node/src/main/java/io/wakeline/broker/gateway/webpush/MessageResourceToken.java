package io.wakeline.broker.gateway.webpush;

/**
 * What a Web Push message resource ({@code Location} of an accepted send, RFC 8030 §5) stands for: one message
 * of one subscription on one device, until the message's TTL ends.
 */
public record MessageResourceToken(String deviceId, String subscriptionId, String messageId, long expiresAtMillis) {
}
