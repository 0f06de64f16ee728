package io.wakeline.simulator;

import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.WebPushNotification;

/**
 * Sees every notification a simulated device receives, before the device acks it.
 *
 * <p>Called on the simulator's selector thread: return quickly and never block, or every device of the
 * simulator stalls with it. An exception thrown here is logged and the notification is still acked.
 */
@FunctionalInterface
public interface NotificationListener {

    NotificationListener IGNORE = (deviceId, notification) -> { };

    /** A WNS notification (toast, tile, badge or raw). */
    void onNotification(String deviceId, Notification notification);

    /**
     * A guaranteed control-channel message the device processes: called once per (app, channel, sequence), in
     * sequence order per channel; redeliveries of what was already processed are dropped before this and counted in
     * {@link ControlStats#duplicatesDropped()}. Ignored unless overridden.
     */
    default void onControlMessage(String deviceId, Notification notification) {
    }

    /** A Web Push message; ignored unless overridden. */
    default void onWebPush(String deviceId, WebPushNotification message) {
    }
}
