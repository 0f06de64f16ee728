package io.wakeline.broker.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import io.wakeline.broker.device.DeviceEntityFixture.Link;
import io.wakeline.broker.device.link.LinkMessage;
import io.wakeline.broker.device.policy.AppExecutionState;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.broker.device.policy.PowerSource;
import io.wakeline.broker.device.policy.PowerState;
import io.wakeline.broker.device.push.OfflineCachePolicy;
import io.wakeline.broker.device.push.PushDeliverySettings;
import io.wakeline.broker.device.push.TileQueue;
import io.wakeline.broker.device.shell.DeviceEntitySettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DeliverPush, power reports, channel close and Web Push subscriptions in the device entity. */
class DeviceEntityPushTest {
    private static final String APP = "ms-app://S-1-15-2-100";
    private static final Duration BATCH = Duration.ofMillis(300);
    private static final PushDeliverySettings PUSH = new PushDeliverySettings(OfflineCachePolicy.Windows8, TileQueue.Off,
            Duration.ofDays(3), BATCH, 500, 100, Duration.ofDays(30), Duration.ofSeconds(30));
    private static final DeviceEntitySettings SETTINGS = DeviceEntitySettings.DEFAULTS.withPush(PUSH);

    private static ActorTestKit testKit;
    private DeviceEntityFixture device;
    private Link link;

    @BeforeAll
    static void startTestKit() {
        testKit = DeviceEntityFixture.manualTimeTestKit();
    }

    @AfterAll
    static void stopTestKit() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void freshEntity() {
        device = new DeviceEntityFixture(testKit, "dev-1", SETTINGS);
        link = device.link(1);
    }

    // screen off = connected standby (the device model's power states); both on battery, battery saver off
    private DeviceEntity.ReportPower screenOff() {
        return new DeviceEntity.ReportPower(PowerState.ConnectedStandby, PowerSource.Battery, false, device.now());
    }

    private DeviceEntity.ReportPower screenOn() {
        return new DeviceEntity.ReportPower(PowerState.Active, PowerSource.Battery, false, device.now());
    }

    // ---- WNS ------------------------------------------------------------------------------------------

    @Test
    void everyWnsTypeGoesToTheLinkWithItsType() {
        String channel = requestChannel(device.now());
        attach();
        for (WnsType type : WnsType.values()) {
            PushOutcome outcome = deliver(wns(channel, type, "<" + type.name() + "/>", type.defaultCachePolicy(), Push.NEVER));
            assertEquals(new PushOutcome.Delivered(DeviceConnectionStatus.CONNECTED), outcome);
            LinkMessage.DeliverWns delivery = link.expect(LinkMessage.DeliverWns.class);
            assertEquals(type.kind(), delivery.kind());
            assertEquals("<" + type.name() + "/>", new String(delivery.payload(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void pushesNeverTouchTheJournal() {
        String channel = requestChannel(device.now());
        var result = device.entity.<PushOutcome>runCommand(replyTo -> new DeviceEntity.DeliverPush(
                wns(channel, WnsType.TILE, "t", CachePolicy.CACHE, Push.NEVER), replyTo));
        assertTrue(result.hasNoEvents());
    }

    @Test
    void anOfflineDeviceGetsItsCachedTileAndBadgeButNotItsToastOnReturn() {
        String channel = requestChannel(device.now());
        assertInstanceOf(PushOutcome.Stored.class, deliver(wns(channel, WnsType.TILE, "tile-1", CachePolicy.CACHE, Push.NEVER)));
        assertInstanceOf(PushOutcome.Stored.class, deliver(wns(channel, WnsType.TILE, "tile-2", CachePolicy.CACHE, Push.NEVER)));
        assertInstanceOf(PushOutcome.Stored.class, deliver(wns(channel, WnsType.BADGE, "badge", CachePolicy.CACHE, Push.NEVER)));
        var toast = assertInstanceOf(PushOutcome.Dropped.class, deliver(wns(channel, WnsType.TOAST, "toast", CachePolicy.CACHE, Push.NEVER)));
        assertEquals(DeviceConnectionStatus.DISCONNECTED, toast.connection());
        attach();
        assertEquals(List.of("tile-2", "badge"), List.of(nextPayload(), nextPayload()));
        device.expectNothingMore(link);
    }

    @Test
    void aCachedNotificationWhoseTtlEndsWhileOfflineIsNotDelivered() {
        String channel = requestChannel(device.now());
        deliver(wns(channel, WnsType.TILE, "short", CachePolicy.CACHE, device.now() + 200));
        deliver(wns(channel, WnsType.BADGE, "long", CachePolicy.CACHE, device.now() + 60_000));
        device.advance(Duration.ofMillis(300));
        attach();
        assertEquals("long", nextPayload());
        device.expectNothingMore(link);
    }

    @Test
    void screenOffOnBatteryBatchesMediumUntilTheBatchIntervalAndHoldsLowUntilTheScreenComesOn() {
        String channel = requestChannel(device.now());
        attach();
        device.entity.runCommand(screenOff());
        deliver(wns(channel, WnsType.TOAST, "high", CachePolicy.CACHE, Push.NEVER));
        assertEquals("high", nextPayload());
        var tile = assertInstanceOf(PushOutcome.Stored.class, deliver(wns(channel, WnsType.TILE, "medium", CachePolicy.CACHE, Push.NEVER)));
        assertEquals(PushOutcome.StoreReason.BATCHED, tile.reason());
        // (a raw push in connected standby follows the Windows background rules first: see DeviceEntityPolicyTest)
        var low = assertInstanceOf(PushOutcome.Stored.class, deliver(lowPriorityTile(channel, "low")));
        assertEquals(PushOutcome.StoreReason.HELD, low.reason());
        device.expectNothingMore(link);
        // the batch timer sends the batched tile; the low-priority one waits for power
        device.advance(BATCH);
        assertEquals("medium", nextPayload());
        device.advance(BATCH.multipliedBy(2));
        device.expectNothingMore(link);
        device.entity.runCommand(screenOn());
        assertEquals("low", nextPayload());
    }

    @Test
    void aClosedChannelAndEveryOlderOneOfTheAppAreGoneButNewerOnesStay() {
        long now = device.now();
        String oldest = requestChannel(now - 2000);
        String middle = requestChannel(now - 1000);
        String newest = requestChannel(now);
        var result = device.entity.<DeviceEntity.ChannelsClosedReply>runCommand(replyTo ->
                new DeviceEntity.CloseChannel(APP, middle, now + 1, replyTo));
        assertEquals(List.of(middle, oldest).stream().sorted().toList(), result.reply().closedChannelIds());
        assertInstanceOf(DeviceEntity.ChannelsClosed.class, result.event());
        assertInstanceOf(PushOutcome.TargetClosed.class, deliver(wns(oldest, WnsType.RAW, "x", CachePolicy.NO_CACHE, Push.NEVER)));
        assertInstanceOf(PushOutcome.TargetClosed.class, deliver(wns(middle, WnsType.RAW, "x", CachePolicy.NO_CACHE, Push.NEVER)));
        assertInstanceOf(PushOutcome.Dropped.class, deliver(wns(newest, WnsType.RAW, "x", CachePolicy.NO_CACHE, Push.NEVER)));
        device.entity.restart();
        assertInstanceOf(PushOutcome.TargetClosed.class, deliver(wns(oldest, WnsType.RAW, "x", CachePolicy.NO_CACHE, Push.NEVER)),
                "closing survives a restart");
        var again = device.entity.<DeviceEntity.ChannelsClosedReply>runCommand(replyTo ->
                new DeviceEntity.CloseChannel(APP, middle, now + 2, replyTo));
        assertEquals(List.of(), again.reply().closedChannelIds());
        assertTrue(again.hasNoEvents());
    }

    @Test
    void closingDropsWhatWasCachedForTheClosedChannels() {
        String channel = requestChannel(device.now());
        deliver(wns(channel, WnsType.TILE, "tile", CachePolicy.CACHE, Push.NEVER));
        device.entity.<DeviceEntity.ChannelsClosedReply>runCommand(replyTo ->
                new DeviceEntity.CloseChannel(APP, channel, device.now(), replyTo));
        attach();
        device.expectNothingMore(link);
    }

    // ---- Web Push ---------------------------------------------------------------------------------------

    @Test
    void aSubscriptionIsPersistedAndItsEndpointCarriesItsKey() {
        byte[] key = new byte[65];
        key[0] = 4;
        var result = device.entity.<DeviceEntity.WebPushSubscribed>runCommand(replyTo ->
                new DeviceEntity.SubscribeWebPush(APP, key, device.now(), replyTo));
        var issued = result.eventOfType(DeviceEntity.WebPushSubscriptionIssued.class);
        assertEquals("https://broker.test/wp/" + issued.subscriptionId() + "/65", result.reply().endpoint());
        device.entity.restart();
        assertTrue(device.entity.getState().hasWebPushSubscription(issued.subscriptionId()));
    }

    @Test
    void aWebPushMessageIsRelayedByteIdenticalWithItsEncoding() {
        String subscription = subscribe();
        attach();
        byte[] payload = new byte[4096];
        new java.util.Random(7).nextBytes(payload);
        assertEquals(new PushOutcome.Delivered(DeviceConnectionStatus.CONNECTED), deliver(webPush(subscription, payload, 60, "")));
        LinkMessage.DeliverWebPush delivery = link.expect(LinkMessage.DeliverWebPush.class);
        assertArrayEquals(payload, delivery.payload());
        assertEquals("aes128gcm", delivery.contentEncoding());
        assertEquals(subscription, delivery.subscriptionId());
    }

    @Test
    void storedMessagesAreReplacedByTopicCanBeDeletedAndArriveOnAttach() {
        String subscription = subscribe();
        deliver(webPush(subscription, "v1".getBytes(), 600, "news"));
        WebPushMessage second = webPush(subscription, "v2".getBytes(), 600, "news");
        deliver(second);
        WebPushMessage doomed = webPush(subscription, "doomed".getBytes(), 600, "");
        deliver(doomed);
        assertTrue(manage(subscription, second.messageId(), DeviceEntity.MessageAction.Query));
        assertTrue(manage(subscription, doomed.messageId(), DeviceEntity.MessageAction.Delete));
        assertEquals(false, manage(subscription, doomed.messageId(), DeviceEntity.MessageAction.Query));
        attach();
        assertEquals("v2", new String(link.expect(LinkMessage.DeliverWebPush.class).payload()));
        device.expectNothingMore(link);
        assertEquals(false, manage(subscription, second.messageId(), DeviceEntity.MessageAction.Query), "delivered");
    }

    @Test
    void anUnsubscribedOrUnknownSubscriptionIsUnknown() {
        String subscription = subscribe();
        deliver(webPush(subscription, "kept".getBytes(), 600, ""));
        device.entity.runCommand(new DeviceEntity.UnsubscribeWebPush(subscription, device.now()));
        assertInstanceOf(PushOutcome.TargetUnknown.class, deliver(webPush(subscription, "x".getBytes(), 60, "")));
        assertInstanceOf(PushOutcome.TargetUnknown.class, deliver(webPush("never-issued", "x".getBytes(), 60, "")));
        attach();
        device.expectNothingMore(link);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private String requestChannel(long now) {
        return device.entity.<DeviceEntity.ChannelGranted>runCommand(replyTo -> new DeviceEntity.RequestChannel(APP, now, replyTo))
                .reply().channelId();
    }

    private String subscribe() {
        return device.entity.<DeviceEntity.WebPushSubscribed>runCommand(replyTo ->
                new DeviceEntity.SubscribeWebPush(APP, new byte[0], device.now(), replyTo)).reply().subscriptionId();
    }

    /** Attaches a connected-standby-capable device whose app runs in the foreground (raw arrives as an event). */
    private void attach() {
        device.attach(link, DeviceCapabilities.CONNECTED_STANDBY);
        device.entity.runCommand(new DeviceEntity.ReportAppState(APP, AppExecutionState.Foreground));
    }

    private WnsPush lowPriorityTile(String channel, String body) {
        return new WnsPush("dev-1", APP, channel, WnsType.TILE, body.getBytes(StandardCharsets.UTF_8), CachePolicy.CACHE, "", "",
                PushPriority.LOW, Push.NEVER, "M" + (++ids), device.now());
    }

    private PushOutcome deliver(Push push) {
        return device.entity.<PushOutcome>runCommand(replyTo -> new DeviceEntity.DeliverPush(push, replyTo)).reply();
    }

    private boolean manage(String subscription, String messageId, DeviceEntity.MessageAction action) {
        return device.entity.<DeviceEntity.StoredWebPushMessage>runCommand(replyTo ->
                new DeviceEntity.ManageWebPushMessage(subscription, messageId, action, replyTo)).reply().pending();
    }

    private String nextPayload() {
        return new String(link.expect(LinkMessage.DeliverWns.class).payload(), StandardCharsets.UTF_8);
    }

    private static int ids;

    private WnsPush wns(String channel, WnsType type, String body, CachePolicy cache, long expiresAt) {
        return new WnsPush("dev-1", APP, channel, type, body.getBytes(StandardCharsets.UTF_8), cache, "", "",
                type.defaultPriority(), expiresAt, "M" + (++ids), device.now());
    }

    private WebPushMessage webPush(String subscription, byte[] payload, long ttl, String topic) {
        return new WebPushMessage("dev-1", APP, subscription, payload, "aes128gcm", ttl, WebPushUrgency.NORMAL, topic,
                WebPushMessage.ReceiptRequest.NONE, "W" + (++ids), device.now());
    }
}
