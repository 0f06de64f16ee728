package io.wakeline.simulator;

/**
 * A Web Push subscription the broker created for one app on one simulated device (WebPushSubscription on the
 * device link): {@code endpoint} is the push resource app servers POST to. {@code keys}, when the subscription was
 * made with them, are the device's encryption keys (RFC 8291) the app server needs besides the endpoint; null
 * otherwise.
 */
public record WebPushSubscriptionRecord(String deviceId, String appId, String endpoint, String subscriptionId,
                                        long expiresAtMillis, WebPushKeys keys) {

    public WebPushSubscriptionRecord(String deviceId, String appId, String endpoint, String subscriptionId,
                                     long expiresAtMillis) {
        this(deviceId, appId, endpoint, subscriptionId, expiresAtMillis, null);
    }
}
