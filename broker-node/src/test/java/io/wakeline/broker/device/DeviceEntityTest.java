package io.wakeline.broker.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.gateway.device.LinkAddress;
import io.wakeline.broker.gateway.device.LinkRegistry;
import io.wakeline.broker.device.policy.AppExecutionState;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.protocol.v1.NotificationType;
import io.wakeline.protocol.v1.RawDelivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceEntityTest {
    private static final String APP = "ms-app://S-1-15-2-100";
    private static final long NOW = 1_700_000_000_000L;
    private static final DeviceEntitySettings SETTINGS =
            new DeviceEntitySettings(Duration.ofMillis(300), 100, Duration.ofDays(30), Duration.ofSeconds(3));

    private static ActorTestKit testKit;
    private TestProbe<ClusterSharding.ShardCommand> shard;
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
        entity = EventSourcedBehaviorTestKit.create(testKit.system(),
                DeviceEntity.create("dev-1", shard.ref(), SETTINGS, token -> "https://broker.test/w/" + token.channelId()));
        entity.clear();
    }

    @Test
    void requestChannelPersistsTheChannelAndAnswersWithItsUri() {
        var result = entity.<DeviceEntity.ChannelGranted>runCommand(replyTo -> new DeviceEntity.RequestChannel(APP, NOW, replyTo));
        DeviceEntity.ChannelIssued issued = result.eventOfType(DeviceEntity.ChannelIssued.class);
        assertEquals(APP, issued.appId());
        assertEquals(NOW + Duration.ofDays(30).toMillis(), issued.expiresAtMillis());
        assertEquals("https://broker.test/w/" + issued.channelId(), result.reply().channelUri());
        assertTrue(result.state().hasChannel(APP, issued.channelId()));
    }

    @Test
    void everyRequestIssuesANewChannelAndOlderOnesStayValid() {
        String first = requestChannel(NOW);
        String second = requestChannel(NOW + 1000);
        DeviceEntity.State state = entity.getState();
        assertTrue(state.hasChannel(APP, first));
        assertTrue(state.hasChannel(APP, second));
    }

    @Test
    void expiredChannelsArePrunedWhenANewOneIsIssued() {
        String old = requestChannel(NOW);
        String fresh = requestChannel(NOW + Duration.ofDays(31).toMillis());
        assertFalse(entity.getState().hasChannel(APP, old));
        assertTrue(entity.getState().hasChannel(APP, fresh));
    }

    @Test
    void channelsSurviveARestart() {
        String channel = requestChannel(NOW);
        entity.restart();
        assertTrue(entity.getState().hasChannel(APP, channel));
    }

    @Test
    void rawPushForAChannelTheDeviceNeverHadIsUnknown() {
        var result = entity.<PushOutcome>runCommand(replyTo -> new DeviceEntity.DeliverPush(raw("nope", "x", RawPush.CachePolicy.NO_CACHE), replyTo));
        assertInstanceOf(PushOutcome.TargetUnknown.class, result.reply());
        assertTrue(result.hasNoEvents());
    }

    @Test
    void rawPushToADetachedDeviceIsDroppedWithoutCachePolicy() {
        String channel = requestChannel(NOW);
        var result = entity.<PushOutcome>runCommand(replyTo -> new DeviceEntity.DeliverPush(raw(channel, "a", RawPush.CachePolicy.NO_CACHE), replyTo));
        PushOutcome.Dropped dropped = assertInstanceOf(PushOutcome.Dropped.class, result.reply());
        assertEquals(DeviceConnectionStatus.DISCONNECTED, dropped.connection());
        assertTrue(result.hasNoEvents(), "raw push never touches the journal");
    }

    @Test
    void rawPushToAnAttachedDeviceGoesToItsLinkAndIsNotJournaled() {
        String channel = requestChannel(NOW);
        TestProbe<LinkRegistry.Command> registry = testKit.createTestProbe();
        attach(registry, 7);
        entity.runCommand(new DeviceEntity.ReportAppState(APP, AppExecutionState.Foreground));
        var result = entity.<PushOutcome>runCommand(replyTo -> new DeviceEntity.DeliverPush(raw(channel, "hello", RawPush.CachePolicy.NO_CACHE), replyTo));
        assertEquals(new PushOutcome.Delivered(DeviceConnectionStatus.CONNECTED), result.reply());
        assertTrue(result.hasNoEvents());
        LinkRegistry.Deliver delivery = registry.expectMessageClass(LinkRegistry.Deliver.class);
        assertEquals(7, delivery.linkId());
        assertEquals(NotificationType.RAW, delivery.type());
        assertEquals("hello", new String(delivery.payload(), StandardCharsets.UTF_8));
        assertEquals(RawDelivery.FOREGROUND_EVENT, delivery.rawDelivery());
    }

    @Test
    void cachedRawKeepsOnlyTheLatestAndIsDeliveredOnAttach() {
        String channel = requestChannel(NOW);
        for (String body : new String[] {"first", "second"}) {
            var result = entity.<PushOutcome>runCommand(replyTo -> new DeviceEntity.DeliverPush(raw(channel, body, RawPush.CachePolicy.CACHE), replyTo));
            assertEquals(new PushOutcome.Stored(DeviceConnectionStatus.DISCONNECTED, PushOutcome.StoreReason.OFFLINE), result.reply());
        }
        entity.runCommand(new DeviceEntity.ReportAppState(APP, AppExecutionState.Foreground));
        TestProbe<LinkRegistry.Command> registry = testKit.createTestProbe();
        attach(registry, 1);
        LinkRegistry.Deliver delivery = registry.expectMessageClass(LinkRegistry.Deliver.class);
        assertEquals("second", new String(delivery.payload(), StandardCharsets.UTF_8));
        registry.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void aRawKeptWhileOfflineStillObeysTheWindowsRulesWhenTheDeviceReturns() {
        String channel = requestChannel(NOW);
        entity.<PushOutcome>runCommand(replyTo -> new DeviceEntity.DeliverPush(raw(channel, "kept", RawPush.CachePolicy.CACHE), replyTo));
        TestProbe<LinkRegistry.Command> registry = testKit.createTestProbe();
        attach(registry, 1); // the app never said it runs in the foreground and is not on the lock screen
        registry.expectNoMessage(Duration.ofMillis(300));
    }

    @Test
    void aNewerLinkReplacesTheOlderOne() {
        TestProbe<LinkRegistry.Command> oldNode = testKit.createTestProbe();
        TestProbe<LinkRegistry.Command> newNode = testKit.createTestProbe();
        attach(oldNode, 1);
        attach(newNode, 2);
        assertEquals(new LinkRegistry.Replaced(1), oldNode.expectMessageClass(LinkRegistry.Replaced.class));
    }

    @Test
    void anAttachThatArrivesAfterANewerLinksAttachDoesNotTakeTheDeviceBack() {
        TestProbe<LinkRegistry.Command> stale = testKit.createTestProbe();
        TestProbe<LinkRegistry.Command> newer = testKit.createTestProbe();
        attach(newer, 2, NOW);

        attach(stale, 1, NOW - 5_000); // the link timed out waiting for this answer; the device came back on link 2

        assertEquals(new LinkRegistry.Replaced(1), stale.expectMessageClass(LinkRegistry.Replaced.class));
        newer.expectNoMessage(Duration.ofMillis(200));
        entity.runCommand(new DeviceEntity.Detach(new LinkAddress(stale.ref(), 1), NOW));
        var view = entity.<DeviceEntity.DeviceView>runCommand(DeviceEntity.GetDevice::new).reply();
        assertTrue(view.attached(), "link 2 stays attached");
    }

    @Test
    void detachOfAReplacedLinkKeepsTheNewerLinkAttached() {
        TestProbe<LinkRegistry.Command> oldNode = testKit.createTestProbe();
        TestProbe<LinkRegistry.Command> newNode = testKit.createTestProbe();
        attach(oldNode, 1);
        attach(newNode, 2);
        entity.runCommand(new DeviceEntity.Detach(new LinkAddress(oldNode.ref(), 1), NOW));
        var view = entity.<DeviceEntity.DeviceView>runCommand(DeviceEntity.GetDevice::new).reply();
        assertTrue(view.attached());
    }

    @Test
    void aDetachedEntityPassivatesWhenIdleAndAnAttachedOneDoesNot() {
        TestProbe<LinkRegistry.Command> registry = testKit.createTestProbe();
        attach(registry, 1);
        shard.expectNoMessage(Duration.ofMillis(600));
        entity.runCommand(new DeviceEntity.Detach(new LinkAddress(registry.ref(), 1), NOW));
        shard.expectMessageClass(ClusterSharding.Passivate.class, Duration.ofSeconds(3));
    }

    private String requestChannel(long now) {
        return entity.<DeviceEntity.ChannelGranted>runCommand(replyTo -> new DeviceEntity.RequestChannel(APP, now, replyTo))
                .reply().channelId();
    }

    private void attach(TestProbe<LinkRegistry.Command> registry, long linkId) {
        attach(registry, linkId, NOW);
    }

    private void attach(TestProbe<LinkRegistry.Command> registry, long linkId, long atMillis) {
        entity.<DeviceEntity.Attached>runCommand(replyTo ->
                new DeviceEntity.Attach(new LinkAddress(registry.ref(), linkId), DeviceCapabilities.NONE, atMillis, replyTo));
    }

    private static int ids;

    private static WnsPush raw(String channelId, String body, RawPush.CachePolicy policy) {
        return new WnsPush("dev-1", APP, channelId, WnsType.RAW, body.getBytes(StandardCharsets.UTF_8), policy, "", "",
                WnsType.RAW.defaultPriority(), Push.NEVER, "MSG" + (++ids), System.currentTimeMillis());
    }
}
