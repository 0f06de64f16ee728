package io.wakeline.broker.gateway.device;

import com.google.protobuf.ByteString;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.NotificationType;
import io.wakeline.protocol.v1.WebPushNotification;

/** The frames of deliveries a link registry hands a session (docs/protocol.md "Notification", §14). Pure mapping. */
final class DeliveryFrames {
    private DeliveryFrames() {
    }

    static boolean isControl(LinkRegistry.Deliver delivery) {
        return delivery.type() == NotificationType.CONTROL;
    }

    static Envelope notification(LinkRegistry.Deliver delivery, long deliveryId) {
        Notification.Builder notification = Notification.newBuilder();
        if (isControl(delivery)) {
            notification.setControlChannelId(delivery.controlChannelId()).setSequence(delivery.sequence());
        }
        return Envelope.newBuilder().setNotification(notification
                .setDeliveryId(deliveryId)
                .setAppId(delivery.appId())
                .setType(delivery.type())
                .setPayload(ByteString.copyFrom(delivery.payload()))
                .setMessageId(delivery.messageId())
                .setChannelId(delivery.channelId())
                .setSentAtMillis(delivery.sentAtMillis())
                .setRawDelivery(delivery.rawDelivery())).build();
    }

    static Envelope webPush(LinkRegistry.DeliverWebPush delivery, long deliveryId) {
        return Envelope.newBuilder().setWebPushNotification(WebPushNotification.newBuilder()
                .setDeliveryId(deliveryId)
                .setAppId(delivery.appId())
                .setSubscriptionId(delivery.subscriptionId())
                .setPayload(ByteString.copyFrom(delivery.payload()))
                .setContentEncoding(delivery.contentEncoding())
                .setMessageId(delivery.messageId())
                .setSentAtMillis(delivery.sentAtMillis())).build();
    }
}
