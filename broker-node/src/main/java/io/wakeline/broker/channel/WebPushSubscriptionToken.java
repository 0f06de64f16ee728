package io.wakeline.broker.channel;

import java.util.Arrays;
import java.util.Base64;

/**
 * What a Web Push endpoint (push resource, RFC 8030 §4) stands for: one subscription of one app on one device,
 * until it expires. Carried sealed in the endpoint URL, so a send is checked without a lookup; a restricted
 * subscription (RFC 8292 §4) carries its application server key, so VAPID is verified without one too.
 *
 * @param applicationServerKey the 65-byte uncompressed P-256 key the subscription is restricted to; empty if none
 */
public record WebPushSubscriptionToken(
        String deviceId,
        String appId,
        String subscriptionId,
        long expiresAtMillis,
        byte[] applicationServerKey) {

    public WebPushSubscriptionToken {
        applicationServerKey = applicationServerKey.clone();
    }

    @Override
    public byte[] applicationServerKey() {
        return applicationServerKey.clone();
    }

    public boolean isRestricted() {
        return applicationServerKey.length > 0;
    }

    public boolean isExpiredAt(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WebPushSubscriptionToken that
                && deviceId.equals(that.deviceId) && appId.equals(that.appId)
                && subscriptionId.equals(that.subscriptionId) && expiresAtMillis == that.expiresAtMillis
                && Arrays.equals(applicationServerKey, that.applicationServerKey);
    }

    @Override
    public int hashCode() {
        return (deviceId + "|" + appId + "|" + subscriptionId).hashCode() * 31 + Long.hashCode(expiresAtMillis);
    }

    @Override
    public String toString() {
        return "WebPushSubscriptionToken[deviceId=" + deviceId + ", appId=" + appId + ", subscriptionId="
                + subscriptionId + ", expiresAtMillis=" + expiresAtMillis + ", applicationServerKey="
                + Base64.getUrlEncoder().withoutPadding().encodeToString(applicationServerKey) + "]";
    }
}
