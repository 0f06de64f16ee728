package io.wakeline.simulator;

/**
 * A Web Push subscription the broker created for one app on one simulated device (WebPushSubscription on the
 * device link): {@code endpoint} is the push resource app servers POST to.
 */
public record WebPushSubscriptionRecord(String deviceId, String appId, String endpoint, String subscriptionId,
                                        long expiresAtMillis) {
}
