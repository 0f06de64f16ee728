package io.wakeline.broker.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.wakeline.broker.device.DeviceEntityFixture.Link;
import io.wakeline.broker.device.link.DeliveryMode;
import io.wakeline.broker.device.link.LinkMessage;
import io.wakeline.broker.device.link.NotificationKind;
import io.wakeline.broker.device.policy.AppExecutionState;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.broker.device.shell.DeviceEntitySettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Channels, the link (attach, replacement, detach) and passivation of the device entity. */
class DeviceEntityTest {
    private static final String APP = "ms-app://S-1-15-2-100";
    private static final Duration IDLE = Duration.ofMillis(300);
    private static final DeviceEntitySettings SETTINGS = DeviceEntitySettings.DEFAULTS.withPassivateAfterIdle(IDLE);

    private static ActorTestKit testKit;
    private DeviceEntityFixture device;

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
    }

    @Test
    void requestChannelPersistsTheChannelAndAnswersWithItsUri() {
        var result = device.entity.<DeviceEntity.ChannelGranted>runCommand(replyTo ->
                new DeviceEntity.RequestChannel(APP, device.now(), replyTo));
        DeviceEntity.ChannelIssued issued = result.eventOfType(DeviceEntity.ChannelIssued.class);
        assertEquals(APP, issued.appId());
        assertEquals(device.now() + Duration.ofDays(30).toMillis(), issued.expiresAtMillis());
        assertEquals("https://broker.test/w/" + issued.channelId(), result.reply().channelUri());
        assertTrue(result.state().hasChannel(APP, issued.channelId()));
    }

    @Test
    void everyRequestIssuesANewChannelAndOlderOnesStayValid() {
        String first = requestChannel(device.now());
        String second = requestChannel(device.now() + 1000);
        DeviceEntity.State state = device.entity.getState();
        assertTrue(state.hasChannel(APP, first));
        assertTrue(state.hasChannel(APP, second));
    }

    @Test
    void expiredChannelsArePrunedWhenANewOneIsIssued() {
        String old = requestChannel(device.now());
        String fresh = requestChannel(device.now() + Duration.ofDays(31).toMillis());
        assertFalse(device.entity.getState().hasChannel(APP, old));
        assertTrue(device.entity.getState().hasChannel(APP, fresh));
    }

    @Test
    void channelsSurviveARestart() {
        String channel = requestChannel(device.now());
        device.entity.restart();
        assertTrue(device.entity.getState().hasChannel(APP, channel));
    }

    @Test
    void rawPushForAChannelTheDeviceNeverHadIsUnknown() {
        var result = device.entity.<PushOutcome>runCommand(replyTo ->
                new DeviceEntity.DeliverPush(raw("nope", "x", CachePolicy.NO_CACHE), replyTo));
        assertInstanceOf(PushOutcome.TargetUnknown.class, result.reply());
        assertTrue(result.hasNoEvents());
    }

    @Test
    void rawPushToADetachedDeviceIsDroppedWithoutCachePolicy() {
        String channel = requestChannel(device.now());
        var result = device.entity.<PushOutcome>runCommand(replyTo ->
                new DeviceEntity.DeliverPush(raw(channel, "a", CachePolicy.NO_CACHE), replyTo));
        PushOutcome.Dropped dropped = assertInstanceOf(PushOutcome.Dropped.class, result.reply());
        assertEquals(DeviceConnectionStatus.DISCONNECTED, dropped.connection());
        assertEquals(PushOutcome.DropReason.NotCachedOffline, dropped.reason());
        assertTrue(result.hasNoEvents(), "raw push never touches the journal");
    }

    @Test
    void rawPushToAnAttachedDeviceGoesToItsLinkAndIsNotJournaled() {
        String channel = requestChannel(device.now());
        Link link = device.link(7);
        device.attach(link, DeviceCapabilities.NONE);
        device.entity.runCommand(new DeviceEntity.ReportAppState(APP, AppExecutionState.Foreground));
        var result = device.entity.<PushOutcome>runCommand(replyTo ->
                new DeviceEntity.DeliverPush(raw(channel, "hello", CachePolicy.NO_CACHE), replyTo));
        assertEquals(new PushOutcome.Delivered(DeviceConnectionStatus.CONNECTED), result.reply());
        assertTrue(result.hasNoEvents());
        DeviceEntityFixture.Sent sent = link.next();
        assertEquals(7, sent.linkId());
        LinkMessage.DeliverWns delivery = assertInstanceOf(LinkMessage.DeliverWns.class, sent.message());
        assertEquals(NotificationKind.Raw, delivery.kind());
        assertEquals("hello", new String(delivery.payload(), StandardCharsets.UTF_8));
        assertEquals(DeliveryMode.ForegroundEvent, delivery.mode());
    }

    @Test
    void cachedRawKeepsOnlyTheLatestAndIsDeliveredOnAttach() {
        String channel = requestChannel(device.now());
        for (String body : new String[] {"first", "second"}) {
            var result = device.entity.<PushOutcome>runCommand(replyTo ->
                    new DeviceEntity.DeliverPush(raw(channel, body, CachePolicy.CACHE), replyTo));
            assertEquals(new PushOutcome.Stored(DeviceConnectionStatus.DISCONNECTED, PushOutcome.StoreReason.OFFLINE),
                    result.reply());
        }
        device.entity.runCommand(new DeviceEntity.ReportAppState(APP, AppExecutionState.Foreground));
        Link link = device.link(1);
        device.attach(link, DeviceCapabilities.NONE);
        LinkMessage.DeliverWns delivery = link.expect(LinkMessage.DeliverWns.class);
        assertEquals("second", new String(delivery.payload(), StandardCharsets.UTF_8));
        device.expectNothingMore(link);
    }

    @Test
    void aRawKeptWhileOfflineStillObeysTheWindowsRulesWhenTheDeviceReturns() {
        String channel = requestChannel(device.now());
        device.entity.<PushOutcome>runCommand(replyTo ->
                new DeviceEntity.DeliverPush(raw(channel, "kept", CachePolicy.CACHE), replyTo));
        Link link = device.link(1);
        device.attach(link, DeviceCapabilities.NONE); // the app never said it runs in the foreground, not on the lock screen
        device.expectNothingMore(link);
    }

    @Test
    void aNewerLinkReplacesTheOlderOne() {
        Link oldNode = device.link(1);
        Link newNode = device.link(2);
        device.attach(oldNode, DeviceCapabilities.NONE);
        device.attach(newNode, DeviceCapabilities.NONE);
        DeviceEntityFixture.Sent replaced = oldNode.next();
        assertEquals(1, replaced.linkId());
        assertInstanceOf(LinkMessage.Replaced.class, replaced.message());
    }

    @Test
    void anAttachThatArrivesAfterANewerLinksAttachDoesNotTakeTheDeviceBack() {
        Link stale = device.link(1);
        Link newer = device.link(2);
        device.attach(newer, DeviceCapabilities.NONE, device.now());

        // the link timed out waiting for this answer; the device came back on link 2
        device.attach(stale, DeviceCapabilities.NONE, device.now() - 5_000);

        DeviceEntityFixture.Sent replaced = stale.next();
        assertEquals(1, replaced.linkId());
        assertInstanceOf(LinkMessage.Replaced.class, replaced.message());
        device.expectNothingMore(newer);
        device.entity.runCommand(new DeviceEntity.Detach(stale.address(), device.now()));
        var view = device.entity.<DeviceEntity.DeviceView>runCommand(DeviceEntity.GetDevice::new).reply();
        assertTrue(view.attached(), "link 2 stays attached");
    }

    @Test
    void detachOfAReplacedLinkKeepsTheNewerLinkAttached() {
        Link oldNode = device.link(1);
        Link newNode = device.link(2);
        device.attach(oldNode, DeviceCapabilities.NONE);
        device.attach(newNode, DeviceCapabilities.NONE);
        device.entity.runCommand(new DeviceEntity.Detach(oldNode.address(), device.now()));
        var view = device.entity.<DeviceEntity.DeviceView>runCommand(DeviceEntity.GetDevice::new).reply();
        assertTrue(view.attached());
    }

    @Test
    void aDetachedEntityPassivatesWhenIdleAndAnAttachedOneDoesNot() {
        Link link = device.link(1);
        device.attach(link, DeviceCapabilities.NONE);
        ManualTime.get(testKit.system()).expectNoMessageFor(IDLE.multipliedBy(2), device.shard);
        device.entity.runCommand(new DeviceEntity.Detach(link.address(), device.now()));
        device.advance(IDLE.plusMillis(1));
        device.shard.expectMessageClass(ClusterSharding.Passivate.class);
    }

    private String requestChannel(long now) {
        return device.entity.<DeviceEntity.ChannelGranted>runCommand(replyTo -> new DeviceEntity.RequestChannel(APP, now, replyTo))
                .reply().channelId();
    }

    private static int ids;

    private WnsPush raw(String channelId, String body, CachePolicy policy) {
        return new WnsPush("dev-1", APP, channelId, WnsType.RAW, body.getBytes(StandardCharsets.UTF_8), policy, "", "",
                WnsType.RAW.defaultPriority(), Push.NEVER, "MSG" + (++ids), device.now());
    }
}
