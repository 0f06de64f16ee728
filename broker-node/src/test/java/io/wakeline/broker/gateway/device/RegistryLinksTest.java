package io.wakeline.broker.gateway.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import io.wakeline.broker.device.WnsType;
import io.wakeline.broker.device.link.DeliveryMode;
import io.wakeline.broker.device.link.LinkAddress;
import io.wakeline.broker.device.link.LinkMessage;
import io.wakeline.broker.device.link.NotificationKind;
import io.wakeline.broker.device.policy.DeviceNotification;
import io.wakeline.broker.device.policy.SystemTriggerType;
import io.wakeline.protocol.v1.NotificationType;
import io.wakeline.protocol.v1.RawDelivery;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The device entity's link messages become the link registry's commands, with the link protocol's enums. */
class RegistryLinksTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final String APP = "ms-app://S-1-15-2-1";
    private static final byte[] PAYLOAD = {1, 2, 3};

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void everyMessageReachesTheRegistryInTheAddressForItsLink() {
        TestProbe<LinkRegistry.Command> registry = testKit.createTestProbe();
        RegistryLinks links = new RegistryLinks();
        LinkAddress link = new LinkAddress(registry.ref(), 7);
        links.tell(link, new LinkMessage.DeliverWns(APP, "ch-1", NotificationKind.Raw, PAYLOAD, "m1", 5, DeliveryMode.BackgroundTask));
        links.tell(link, new LinkMessage.Replaced());
        LinkRegistry.Deliver delivery = registry.expectMessageClass(LinkRegistry.Deliver.class);
        assertEquals(new LinkRegistry.Deliver(7, APP, "ch-1", NotificationType.RAW, PAYLOAD, "m1", 5,
                RawDelivery.BACKGROUND_TASK).messageId(), delivery.messageId());
        assertEquals(7, delivery.linkId());
        assertEquals(NotificationType.RAW, delivery.type());
        assertEquals(RawDelivery.BACKGROUND_TASK, delivery.rawDelivery());
        assertEquals(new LinkRegistry.Replaced(7), registry.expectMessageClass(LinkRegistry.Replaced.class));
    }

    @Test
    void eachWnsTypeAndDeliveryModeHasItsLinkEnum() {
        Map<WnsType, NotificationType> types = Map.of(WnsType.TOAST, NotificationType.TOAST, WnsType.TILE,
                NotificationType.TILE, WnsType.BADGE, NotificationType.BADGE, WnsType.RAW, NotificationType.RAW);
        for (WnsType type : WnsType.values()) {
            assertEquals(types.get(type), RegistryLinks.type(type.kind()), type.name());
        }
        assertEquals(RawDelivery.RAW_DELIVERY_UNSPECIFIED, RegistryLinks.rawDelivery(DeliveryMode.Display));
        assertEquals(RawDelivery.FOREGROUND_EVENT, RegistryLinks.rawDelivery(DeliveryMode.ForegroundEvent));
        assertEquals(RawDelivery.BACKGROUND_TASK, RegistryLinks.rawDelivery(DeliveryMode.BackgroundTask));
    }

    @Test
    void controlMessagesWebPushAndTriggersKeepTheirFields() {
        LinkRegistry.Deliver control = (LinkRegistry.Deliver) RegistryLinks.command(3, new LinkMessage.DeliverControl(APP,
                "chat", 9, PAYLOAD, "m2", 6, DeliveryMode.ForegroundEvent));
        assertEquals(NotificationType.CONTROL, control.type());
        assertEquals("chat", control.controlChannelId());
        assertEquals(9, control.sequence());
        assertEquals("", control.channelId());
        assertEquals(RawDelivery.FOREGROUND_EVENT, control.rawDelivery());

        LinkRegistry.DeliverWebPush webPush = (LinkRegistry.DeliverWebPush) RegistryLinks.command(3,
                new LinkMessage.DeliverWebPush(APP, "s1", PAYLOAD, "aes128gcm", "m3", 7));
        assertEquals("s1", webPush.subscriptionId());
        assertEquals("aes128gcm", webPush.contentEncoding());
        assertEquals(3, webPush.linkId());

        DeviceNotification added = new DeviceNotification.SystemTriggerRaised(APP, SystemTriggerType.LockScreenApplicationAdded);
        assertEquals(new LinkRegistry.Notify(3, added), RegistryLinks.command(3, new LinkMessage.Notify(added)));
    }
}
