package io.wakeline.broker.gateway.device;

import io.wakeline.broker.device.link.DeliveryMode;
import io.wakeline.broker.device.link.DeviceLinks;
import io.wakeline.broker.device.link.LinkAddress;
import io.wakeline.broker.device.link.LinkMessage;
import io.wakeline.broker.device.link.NotificationKind;
import io.wakeline.protocol.v1.NotificationType;
import io.wakeline.protocol.v1.RawDelivery;

/**
 * {@link DeviceLinks} over the link registries: an entity's message for a link becomes the registry command of the
 * link's node, with the link protocol's enums (docs/protocol.md "Notification"). Runs on the entity's node; the
 * command crosses to the link's node in the registry's wire form.
 */
public final class RegistryLinks implements DeviceLinks {

    @Override
    public void tell(LinkAddress link, LinkMessage message) {
        // the address was made from a registry's ref (DeviceSession), so the registry takes its commands
        link.registry().<LinkRegistry.Command>unsafeUpcast().tell(command(link.linkId(), message));
    }

    static LinkRegistry.Command command(long linkId, LinkMessage message) {
        if (message instanceof LinkMessage.DeliverWns wns) {
            return new LinkRegistry.Deliver(linkId, wns.appId(), wns.channelId(), type(wns.kind()), wns.payload(),
                    wns.messageId(), wns.sentAtMillis(), rawDelivery(wns.mode()));
        }
        if (message instanceof LinkMessage.DeliverControl control) {
            return new LinkRegistry.Deliver(linkId, control.appId(), "", NotificationType.CONTROL, control.payload(),
                    control.messageId(), control.sentAtMillis(), rawDelivery(control.mode()), control.controlChannelId(),
                    control.sequence());
        }
        if (message instanceof LinkMessage.DeliverWebPush webPush) {
            return new LinkRegistry.DeliverWebPush(linkId, webPush.appId(), webPush.subscriptionId(), webPush.payload(),
                    webPush.contentEncoding(), webPush.messageId(), webPush.sentAtMillis());
        }
        if (message instanceof LinkMessage.Notify notify) {
            return new LinkRegistry.Notify(linkId, notify.notification());
        }
        return new LinkRegistry.Replaced(linkId);
    }

    static NotificationType type(NotificationKind kind) {
        return switch (kind) {
            case Toast -> NotificationType.TOAST;
            case Tile -> NotificationType.TILE;
            case Badge -> NotificationType.BADGE;
            case Raw -> NotificationType.RAW;
        };
    }

    static RawDelivery rawDelivery(DeliveryMode mode) {
        return switch (mode) {
            case Display -> RawDelivery.RAW_DELIVERY_UNSPECIFIED;
            case ForegroundEvent -> RawDelivery.FOREGROUND_EVENT;
            case BackgroundTask -> RawDelivery.BACKGROUND_TASK;
        };
    }
}
