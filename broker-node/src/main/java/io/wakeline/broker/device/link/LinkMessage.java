package io.wakeline.broker.device.link;

import io.wakeline.broker.device.policy.DeviceNotification;

/**
 * What a device entity has its device's link do, in the device's terms. The device gateway turns each into its link
 * registry's commands and the link's frames ({@link DeviceLinks}); wire types never reach the entity.
 */
public sealed interface LinkMessage {

    /** A WNS notification for an app; {@code mode} says how it reaches the app (decided by the Windows rules for raw). */
    record DeliverWns(String appId, String channelId, NotificationKind kind, byte[] payload, String messageId,
                      long sentAtMillis, DeliveryMode mode) implements LinkMessage {
    }

    /** A guaranteed message on a control channel; the device acks it cumulatively by {@code sequence}. */
    record DeliverControl(String appId, String controlChannelId, long sequence, byte[] payload, String messageId,
                          long sentAtMillis, DeliveryMode mode) implements LinkMessage {
    }

    /** A Web Push message, relayed byte-identical with its content encoding (RFC 8030 §6, RFC 8291 §4). */
    record DeliverWebPush(String appId, String subscriptionId, byte[] payload, String contentEncoding, String messageId,
                          long sentAtMillis) implements LinkMessage {
    }

    /** A system trigger the device raises for an app (lock-screen change, control-channel reset). */
    record Notify(DeviceNotification notification) implements LinkMessage {
    }

    /** A newer link of the same device took over: this one tells the device and closes. */
    record Replaced() implements LinkMessage {
    }
}
