package io.wakeline.broker.device.push;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code wakeline.device.push} (reference.conf): offline cache, batching and store bounds.
 *
 * @param batchInterval              how long a batched (Medium priority, screen off on battery) push may wait
 * @param maxPendingPerDevice        most deferred pushes plus stored Web Push messages one device keeps
 * @param maxStoredPerSubscription   most stored Web Push messages per subscription
 * @param webPushSubscriptionLifetime how long a Web Push subscription stays valid
 * @param webPushAckWait             how long a Web Push message sent to the device waits for its acknowledgement
 *                                   at least, even past its TTL, before its receipt says 410 (RFC 8030 §6.2)
 */
public record PushDeliverySettings(
        OfflineCachePolicy offlineCachePolicy,
        TileQueue tileQueue,
        Duration offlineCacheMaxAge,
        Duration batchInterval,
        int maxPendingPerDevice,
        int maxStoredPerSubscription,
        Duration webPushSubscriptionLifetime,
        Duration webPushAckWait) {

    /** The reference.conf defaults: Windows 8 semantics. */
    public static final PushDeliverySettings DEFAULTS = new PushDeliverySettings(OfflineCachePolicy.Windows8,
            TileQueue.Off, Duration.ofDays(3), Duration.ofMinutes(5), 500, 100, Duration.ofDays(30), Duration.ofSeconds(30));

    public static PushDeliverySettings fromConfig(Config push) {
        return new PushDeliverySettings(
                OfflineCachePolicy.fromConfig(push.getString("offline-cache.policy")),
                push.getBoolean("offline-cache.tile-queue") ? TileQueue.On : TileQueue.Off,
                push.getDuration("offline-cache.max-age"),
                push.getDuration("batch-interval"),
                push.getInt("max-pending-per-device"),
                push.getInt("web-push.max-stored-per-subscription"),
                push.getDuration("web-push.subscription-lifetime"),
                push.getDuration("web-push.ack-wait"));
    }

    public PushDeliverySettings withOfflineCache(OfflineCachePolicy policy, TileQueue queue) {
        return new PushDeliverySettings(policy, queue, offlineCacheMaxAge, batchInterval, maxPendingPerDevice,
                maxStoredPerSubscription, webPushSubscriptionLifetime, webPushAckWait);
    }
}
