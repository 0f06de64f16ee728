package io.wakeline.broker.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.WebPushSubscriptionToken;
import io.wakeline.broker.device.RawPush.CachePolicy;
import io.wakeline.broker.device.policy.AppExecutionState;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.broker.device.policy.PowerSource;
import io.wakeline.broker.device.policy.PowerState;
import io.wakeline.broker.device.push.OfflineCachePolicy;
import io.wakeline.broker.device.push.PushDeliverySettings;
import io.wakeline.broker.device.push.TileQueue;
import io.wakeline.broker.gateway.device.LinkAddress;
import io.wakeline.broker.gateway.device.LinkRegistry;
import io.wakeline.protocol.v1.NotificationType;
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
    private static final PushDeliverySettings PUSH = new PushDeliverySettings(OfflineCachePolicy.Windows8, TileQueue.Off,
            Duration.ofDays(3), Duration.ofMillis(300), 500, 100, Duration.ofDays(30), Duration.ofSeconds(30));
    private static final DeviceEntitySettings SETTINGS =
            new DeviceEntitySettings(Duration.ofMillis(300), 100, Duration.ofDays(30), Duration.ofSeconds(3)).withPush(PUSH);
    // screen off = connected standby (the device model's power states); both on battery, battery saver off
    private static DeviceEntity.ReportPower screenOff() {
        return new DeviceEntity.ReportPower(PowerState.ConnectedStandby, PowerSource.Battery, false, System.currentTimeMillis());
    }

    private static DeviceEntity.ReportPower screenOn() {
        return new DeviceEntity.ReportPower(PowerState.Active, PowerSource.Battery, false, System.currentTimeMillis());
    }

    private static ActorTestKit testKit;
    private TestProbe<ClusterSharding.ShardCommand> shard;
    private TestProbe<LinkRegistry.Command> registry;
    private EventSourcedBehaviorTestKit<DeviceEntity.Command, DeviceEntity.Event, DeviceEntity.State> entity;

    @BeforeAll
    static void startTestKit() {
        testKit = ActorTestKit.create(ConfigFactory.parseString(
                        "akka.actor.serialization-bindings { \"io.wakeline.broker.CborSerializable\" = jackson-cbor }")
                .withFallback(EventSourcedBehaviorTestKit.config()));
    }

    @AfterAll
    static void stopTestKit() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void freshEntity() {
        shard = testKit.createTestProbe();
        registry = testKit.createTestProbe();
        entity = EventSourcedBehaviorTestKit.create(testKit.system(), DeviceEntity.create("dev-1", shard.ref(), SETTINGS,
                new PushEndpoints() {
                    @Override
                    public String channelUri(ChannelToken token) {
                        return "https://broker.test/w/" + token.channelId();
                    }

                    @Override
                    public String webPushEndpoint(WebPushSubscriptionToken token) {
                        return "https://broker.test/wp/" + token.subscriptionId() + "/" + token.applicationServerKey().length;
                    }
                }));
        entity.clear();
    }

    // ---- WNS ------------------------------------------------------------------------------------------

    @Test
    void everyWnsTypeGoesToTheLinkWithItsLinkType() {
        String channel = requestChannel(System.currentTimeMillis());
        attach();
        for (WnsType type : WnsType.values()) {
            PushOutcome outcome = deliver(wns(channel, type, "<" + type.name() + "/>", type.defaultCachePolicy(), Push.NEVER));
            assertEquals(new PushOutcome.Delivered(DeviceConnectionStatus.CONNECTED), outcome);
            LinkRegistry.Deliver delivery = registry.expectMessageClass(LinkRegistry.Deliver.class);
            assertEquals(type.linkType(), delivery.type());
            assertEquals("<" + type.name() + "/>", new String(delivery.payload(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void pushesNeverTouchTheJournal() {
        String channel = requestChannel(System.currentTimeMillis());
        var result = entity.<PushOutcome>runCommand(replyTo -> new DeviceEntity.DeliverPush(
                wns(channel, WnsType.TILE, "t", CachePolicy.CACHE, Push.NEVER), replyTo));
        assertTrue(result.hasNoEvents());
    }

    @Test
    void anOfflineDeviceGetsItsCachedTileAndBadgeButNotItsToastOnReturn() {
        String channel = requestChannel(System.currentTimeMillis());
        assertInstanceOf(PushOutcome.Stored.class, deliver(wns(channel, WnsType.TILE, "tile-1", CachePolicy.CACHE, Push.NEVER)));
        assertInstanceOf(PushOutcome.Stored.class, deliver(wns(channel, WnsType.TILE, "tile-2", CachePolicy.CACHE, Push.NEVER)));
        assertInstanceOf(PushOutcome.Stored.class, deliver(wns(channel, WnsType.BADGE, "badge", CachePolicy.CACHE, Push.NEVER)));
        var toast = assertInstanceOf(PushOutcome.Dropped.class, deliver(wns(channel, WnsType.TOAST, "toast", CachePolicy.CACHE, Push.NEVER)));
        assertEquals(DeviceConnectionStatus.DISCONNECTED, toast.connection());
        attach();
        assertEquals(List.of("tile-2", "badge"), List.of(nextPayload(), nextPayload()));
        registry.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void aCachedNotificationWhoseTtlEndsWhileOfflineIsNotDelivered() throws Exception {
        String channel = requestChannel(System.currentTimeMillis());
        deliver(wns(channel, WnsType.TILE, "short", CachePolicy.CACHE, System.currentTimeMillis() + 200));
        deliver(wns(channel, WnsType.BADGE, "long", CachePolicy.CACHE, System.currentTimeMillis() + 60_000));
        Thread.sleep(300);
        attach();
        assertEquals("long", nextPayload());
        registry.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void screenOffOnBatteryBatchesMediumUntilTheBatchIntervalAndHoldsLowUntilTheScreenComesOn() {
        String channel = requestChannel(System.currentTimeMillis());
        attach();
        entity.runCommand(screenOff());
        deliver(wns(channel, WnsType.TOAST, "high", CachePolicy.CACHE, Push.NEVER));
        assertEquals("high", nextPayload());
        var tile = assertInstanceOf(PushOutcome.Stored.class, deliver(wns(channel, WnsType.TILE, "medium", CachePolicy.CACHE, Push.NEVER)));
        assertEquals(PushOutcome.StoreReason.BATCHED, tile.reason());
        // (a raw push in connected standby follows the Windows background rules first: see DeviceEntityPolicyTest)
        var low = assertInstanceOf(PushOutcome.Stored.class, deliver(lowPriorityTile(channel, "low")));
        assertEquals(PushOutcome.StoreReason.HELD, low.reason());
        // the batch timer (300 ms here) sends the batched tile; the low-priority one waits for power
        assertEquals("medium", new String(registry.expectMessageClass(LinkRegistry.Deliver.class, Duration.ofSeconds(3)).payload(),
                StandardCharsets.UTF_8));
        registry.expectNoMessage(Duration.ofMillis(400));
        entity.runCommand(screenOn());
        assertEquals("low", nextPayload());
    }

    @Test
    void aClosedChannelAndEveryOlderOneOfTheAppAreGoneButNewerOnesStay() {
        long now = System.currentTimeMillis();
        String oldest = requestChannel(now - 2000);
        String middle = requestChannel(now - 1000);
        String newest = requestChannel(now);
        var result = entity.<DeviceEntity.ChannelsClosedReply>runCommand(replyTo ->
                new DeviceEntity.CloseChannel(APP, middle, now + 1, replyTo));
        assertEquals(List.of(middle, oldest).stream().sorted().toList(), result.reply().closedChannelIds());
        assertInstanceOf(DeviceEntity.ChannelsClosed.class, result.event());
        assertInstanceOf(PushOutcome.TargetClosed.class, deliver(wns(oldest, WnsType.RAW, "x", CachePolicy.NO_CACHE, Push.NEVER)));
        assertInstanceOf(PushOutcome.TargetClosed.class, deliver(wns(middle, WnsType.RAW, "x", CachePolicy.NO_CACHE, Push.NEVER)));
        assertInstanceOf(PushOutcome.Dropped.class, deliver(wns(newest, WnsType.RAW, "x", CachePolicy.NO_CACHE, Push.NEVER)));
        entity.restart();
        assertInstanceOf(PushOutcome.TargetClosed.class, deliver(wns(oldest, WnsType.RAW, "x", CachePolicy.NO_CACHE, Push.NEVER)),
                "closing survives a restart");
        var again = entity.<DeviceEntity.ChannelsClosedReply>runCommand(replyTo ->
                new DeviceEntity.CloseChannel(APP, middle, now + 2, replyTo));
        assertEquals(List.of(), again.reply().closedChannelIds());
        assertTrue(again.hasNoEvents());
    }

    @Test
    void closingDropsWhatWasCachedForTheClosedChannels() {
        String channel = requestChannel(System.currentTimeMillis());
        deliver(wns(channel, WnsType.TILE, "tile", CachePolicy.CACHE, Push.NEVER));
        entity.<DeviceEntity.ChannelsClosedReply>runCommand(replyTo ->
                new DeviceEntity.CloseChannel(APP, channel, System.currentTimeMillis(), replyTo));
        attach();
        registry.expectNoMessage(Duration.ofMillis(200));
    }

    // ---- Web Push ---------------------------------------------------------------------------------------

    @Test
    void aSubscriptionIsPersistedAndItsEndpointCarriesItsKey() {
        byte[] key = new byte[65];
        key[0] = 4;
        var result = entity.<DeviceEntity.WebPushSubscribed>runCommand(replyTo ->
                new DeviceEntity.SubscribeWebPush(APP, key, System.currentTimeMillis(), replyTo));
        var issued = result.eventOfType(DeviceEntity.WebPushSubscriptionIssued.class);
        assertEquals("https://broker.test/wp/" + issued.subscriptionId() + "/65", result.reply().endpoint());
        entity.restart();
        assertTrue(entity.getState().hasWebPushSubscription(issued.subscriptionId()));
    }

    @Test
    void aWebPushMessageIsRelayedByteIdenticalWithItsEncoding() {
        String subscription = subscribe();
        attach();
        byte[] payload = new byte[4096];
        new java.util.Random(7).nextBytes(payload);
        assertEquals(new PushOutcome.Delivered(DeviceConnectionStatus.CONNECTED), deliver(webPush(subscription, payload, 60, "")));
        LinkRegistry.DeliverWebPush delivery = registry.expectMessageClass(LinkRegistry.DeliverWebPush.class);
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
        assertEquals("v2", new String(registry.expectMessageClass(LinkRegistry.DeliverWebPush.class).payload()));
        registry.expectNoMessage(Duration.ofMillis(100));
        assertEquals(false, manage(subscription, second.messageId(), DeviceEntity.MessageAction.Query), "delivered");
    }

    @Test
    void anUnsubscribedOrUnknownSubscriptionIsUnknown() {
        String subscription = subscribe();
        deliver(webPush(subscription, "kept".getBytes(), 600, ""));
        entity.runCommand(new DeviceEntity.UnsubscribeWebPush(subscription, System.currentTimeMillis()));
        assertInstanceOf(PushOutcome.TargetUnknown.class, deliver(webPush(subscription, "x".getBytes(), 60, "")));
        assertInstanceOf(PushOutcome.TargetUnknown.class, deliver(webPush("never-issued", "x".getBytes(), 60, "")));
        attach();
        registry.expectNoMessage(Duration.ofMillis(100));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private String requestChannel(long now) {
        return entity.<DeviceEntity.ChannelGranted>runCommand(replyTo -> new DeviceEntity.RequestChannel(APP, now, replyTo))
                .reply().channelId();
    }

    private String subscribe() {
        return entity.<DeviceEntity.WebPushSubscribed>runCommand(replyTo ->
                new DeviceEntity.SubscribeWebPush(APP, new byte[0], System.currentTimeMillis(), replyTo)).reply().subscriptionId();
    }

    /** Attaches a connected-standby-capable device whose app runs in the foreground (raw arrives as an event). */
    private void attach() {
        entity.<DeviceEntity.Attached>runCommand(replyTo -> new DeviceEntity.Attach(new LinkAddress(registry.ref(), 1),
                DeviceCapabilities.CONNECTED_STANDBY, System.currentTimeMillis(), replyTo));
        entity.runCommand(new DeviceEntity.ReportAppState(APP, AppExecutionState.Foreground));
    }

    private static WnsPush lowPriorityTile(String channel, String body) {
        return new WnsPush("dev-1", APP, channel, WnsType.TILE, body.getBytes(StandardCharsets.UTF_8), CachePolicy.CACHE, "", "",
                PushPriority.LOW, Push.NEVER, "M" + (++ids), System.currentTimeMillis());
    }

    private PushOutcome deliver(Push push) {
        return entity.<PushOutcome>runCommand(replyTo -> new DeviceEntity.DeliverPush(push, replyTo)).reply();
    }

    private boolean manage(String subscription, String messageId, DeviceEntity.MessageAction action) {
        return entity.<DeviceEntity.StoredWebPushMessage>runCommand(replyTo ->
                new DeviceEntity.ManageWebPushMessage(subscription, messageId, action, replyTo)).reply().pending();
    }

    private String nextPayload() {
        return new String(registry.expectMessageClass(LinkRegistry.Deliver.class).payload(), StandardCharsets.UTF_8);
    }

    private static int ids;

    private static WnsPush wns(String channel, WnsType type, String body, CachePolicy cache, long expiresAt) {
        return new WnsPush("dev-1", APP, channel, type, body.getBytes(StandardCharsets.UTF_8), cache, "", "",
                type.defaultPriority(), expiresAt, "M" + (++ids), System.currentTimeMillis());
    }

    private static WebPushMessage webPush(String subscription, byte[] payload, long ttl, String topic) {
        return new WebPushMessage("dev-1", APP, subscription, payload, "aes128gcm", ttl, WebPushUrgency.NORMAL, topic,
                WebPushMessage.ReceiptRequest.NONE, "W" + (++ids), System.currentTimeMillis());
    }
}
