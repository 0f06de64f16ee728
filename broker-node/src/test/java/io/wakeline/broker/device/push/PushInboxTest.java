package io.wakeline.broker.device.push;

import static io.wakeline.broker.device.push.PushFixtures.APP;
import static io.wakeline.broker.device.push.PushFixtures.NOW;
import static io.wakeline.broker.device.push.PushFixtures.webPush;
import static io.wakeline.broker.device.push.PushFixtures.wns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.device.CachePolicy;
import io.wakeline.broker.device.DeviceConnectionStatus;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.PushPriority;
import io.wakeline.broker.device.WebPushUrgency;
import io.wakeline.broker.device.WnsPush;
import io.wakeline.broker.device.WnsType;
import io.wakeline.broker.device.policy.PowerSource;
import io.wakeline.broker.device.policy.PowerState;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PushInboxTest {
    private static final PowerReport SCREEN_ON = new PowerReport(PowerState.Active, PowerSource.Battery, EnergySaver.Off);
    private static final PowerReport SCREEN_OFF = new PowerReport(PowerState.ConnectedStandby, PowerSource.Battery, EnergySaver.Off);
    private static final PowerReport PLUGGED_IN = new PowerReport(PowerState.ConnectedStandby, PowerSource.Mains, EnergySaver.Off);
    private static final PowerReport SAVER = new PowerReport(PowerState.Active, PowerSource.Battery, EnergySaver.On);

    private final PushInbox inbox = new PushInbox(PushDeliverySettings.DEFAULTS);

    private static List<String> bodies(List<Queued> pushes) {
        return pushes.stream().map(queued -> PushFixtures.body(queued.push())).toList();
    }

    /** The link comes up: what the offline cache kept waits with what was stored, then the power matrix decides. */
    private static List<Queued> linkUp(PushInbox inbox, PowerReport power, long now) {
        for (WnsPush cached : inbox.takeOfflineCache(now)) {
            inbox.keep(Queued.displayed(cached));
        }
        return inbox.release(power, now);
    }

    private static Push raw(String body, PushPriority priority) {
        return wns(APP, "ch-1", WnsType.RAW, body, CachePolicy.NO_CACHE, "", priority, Push.NEVER, NOW);
    }

    @Test
    void aConnectedDeviceWithTheScreenOnGetsEverythingNow() {
        for (PushPriority priority : PushPriority.values()) {
            PushInbox.Offer offer = inbox.offer(Queued.displayed(raw("p" + priority, priority)), SCREEN_ON, NOW);
            assertEquals(new PushOutcome.Delivered(DeviceConnectionStatus.CONNECTED), offer.outcome());
            assertTrue(offer.sendNow().isPresent());
        }
    }

    @Test
    void screenOffOnBatteryBatchesMediumAndHoldsLowUntilPowerAllows() {
        assertTrue(inbox.offer(Queued.displayed(raw("high", PushPriority.HIGH)), SCREEN_OFF, NOW).sendNow().isPresent());
        var medium = inbox.offer(Queued.displayed(raw("medium", PushPriority.MEDIUM)), SCREEN_OFF, NOW);
        assertEquals(new PushOutcome.Stored(DeviceConnectionStatus.CONNECTED, PushOutcome.StoreReason.BATCHED), medium.outcome());
        var low = inbox.offer(Queued.displayed(raw("low", PushPriority.LOW)), SCREEN_OFF, NOW);
        assertEquals(new PushOutcome.Stored(DeviceConnectionStatus.CONNECTED, PushOutcome.StoreReason.HELD), low.outcome());
        inbox.offer(Queued.displayed(raw("very-low", PushPriority.VERY_LOW)), SCREEN_OFF, NOW);
        assertTrue(inbox.hasBatched(SCREEN_OFF, NOW));

        assertEquals(List.of("medium"), bodies(inbox.releaseBatch(SCREEN_OFF, NOW + 1)), "the batch goes, the held stay");
        assertFalse(inbox.hasBatched(SCREEN_OFF, NOW + 1));
        assertEquals(List.of(), bodies(inbox.release(SCREEN_OFF, NOW + 2)));
        assertEquals(List.of("low", "very-low"), bodies(inbox.release(PLUGGED_IN, NOW + 3)));
    }

    @Test
    void theScreenComingOnReleasesBatchedAndHeldAtOnce() {
        inbox.offer(Queued.displayed(raw("medium", PushPriority.MEDIUM)), SCREEN_OFF, NOW);
        inbox.offer(Queued.displayed(raw("low", PushPriority.LOW)), SCREEN_OFF, NOW);
        assertEquals(List.of("medium", "low"), bodies(inbox.release(SCREEN_ON, NOW + 1)));
    }

    @Test
    void batterySaverHoldsEvenHighUntilItIsOff() {
        var high = inbox.offer(Queued.displayed(raw("high", PushPriority.HIGH)), SAVER, NOW);
        assertEquals(new PushOutcome.Stored(DeviceConnectionStatus.CONNECTED, PushOutcome.StoreReason.HELD), high.outcome());
        assertEquals(List.of(), bodies(inbox.releaseBatch(SAVER, NOW + 1)));
        assertEquals(List.of("high"), bodies(inbox.release(SCREEN_ON, NOW + 2)));
    }

    @Test
    void aHeldPushWhoseTtlEndsIsNeverDelivered() {
        inbox.offer(Queued.displayed(wns(APP, "ch-1", WnsType.RAW, "short", CachePolicy.NO_CACHE, "", PushPriority.LOW,
                NOW + 1000, NOW)), SCREEN_OFF, NOW);
        assertEquals(List.of(), bodies(inbox.release(SCREEN_ON, NOW + 1000)));
        assertFalse(inbox.holdsLiveItems(NOW + 1000));
    }

    @Test
    void offlineWnsGoesToTheOfflineCacheAndComesBackOnLinkUp() {
        var tile = inbox.offerOffline(wns(WnsType.TILE, "tile"), NOW);
        assertEquals(new PushOutcome.Stored(DeviceConnectionStatus.DISCONNECTED, PushOutcome.StoreReason.OFFLINE), tile.outcome());
        var toast = inbox.offerOffline(wns(WnsType.TOAST, "toast"), NOW);
        assertInstanceOf(PushOutcome.Dropped.class, toast.outcome(), "Windows 8 default: toasts are not cached");
        assertTrue(inbox.holdsLiveItems(NOW));
        assertEquals(List.of("tile"), bodies(linkUp(inbox, SCREEN_ON, NOW + 1)));
    }

    @Test
    void whatComesBackOnLinkUpStillObeysThePowerMatrix() {
        inbox.offerOffline(raw("cached-raw", PushPriority.LOW), NOW); // no-cache: dropped
        inbox.offerOffline(wns(APP, "ch-1", WnsType.RAW, "raw", CachePolicy.CACHE, "", PushPriority.LOW, Push.NEVER, NOW),
                NOW);
        assertEquals(List.of(), bodies(linkUp(inbox, SCREEN_OFF, NOW + 1)), "low priority waits for power");
        assertEquals(List.of("raw"), bodies(inbox.release(SCREEN_ON, NOW + 2)));
    }

    @Test
    void deferredWnsBecomesSubjectToTheOfflineCacheWhenTheLinkDrops() {
        inbox.offer(Queued.displayed(wns(WnsType.TOAST, "toast")), SAVER, NOW);
        inbox.offer(Queued.displayed(wns(WnsType.TILE, "tile")), SAVER, NOW);
        inbox.onLinkDown(NOW + 1);
        assertEquals(List.of("tile"), bodies(linkUp(inbox, SCREEN_ON, NOW + 2)), "the toast was dropped by the offline rule");
    }

    @Test
    void webPushForAnOfflineDeviceIsStoredUntilItsTtl() {
        var stored = inbox.offerOffline(webPush("s1", "m1", 60, WebPushUrgency.NORMAL, "", NOW), NOW);
        assertEquals(new PushOutcome.Stored(DeviceConnectionStatus.DISCONNECTED, PushOutcome.StoreReason.OFFLINE), stored.outcome());
        inbox.offerOffline(webPush("s1", "m2", 1, WebPushUrgency.NORMAL, "", NOW), NOW);
        assertEquals(List.of("m1"), bodies(linkUp(inbox, SCREEN_ON, NOW + 1000)));
    }

    @Test
    void webPushWithTtlZeroIsDeliveredOnlyToADeviceThatCanTakeItNow() {
        assertTrue(inbox.offer(Queued.displayed(webPush("s1", "now", 0, WebPushUrgency.NORMAL, "", NOW)), SCREEN_ON, NOW)
                .sendNow().isPresent());
        assertInstanceOf(PushOutcome.Dropped.class,
                inbox.offerOffline(webPush("s1", "offline", 0, WebPushUrgency.NORMAL, "", NOW), NOW).outcome());
        assertInstanceOf(PushOutcome.Dropped.class,
                inbox.offer(Queued.displayed(webPush("s1", "deferred", 0, WebPushUrgency.LOW, "", NOW)), SCREEN_OFF, NOW).outcome());
        assertFalse(inbox.holdsLiveItems(NOW));
    }

    @Test
    void aNewerMessageWithTheSameTopicReplacesTheUndeliveredOne() {
        inbox.offerOffline(webPush("s1", "score 1-0", 600, WebPushUrgency.NORMAL, "score", NOW), NOW);
        inbox.offerOffline(webPush("s1", "other", 600, WebPushUrgency.NORMAL, "", NOW + 1), NOW);
        inbox.offerOffline(webPush("s2", "s2 score", 600, WebPushUrgency.NORMAL, "score", NOW + 2), NOW);
        inbox.offerOffline(webPush("s1", "score 2-0", 600, WebPushUrgency.NORMAL, "score", NOW + 3), NOW);
        assertEquals(List.of("other", "s2 score", "score 2-0"), bodies(linkUp(inbox, SCREEN_ON, NOW + 10)));
    }

    @Test
    void urgencyMapsOntoThePowerMatrix() {
        assertTrue(inbox.offer(Queued.displayed(webPush("s1", "high", 60, WebPushUrgency.HIGH, "", NOW)), SCREEN_OFF, NOW)
                .sendNow().isPresent());
        assertEquals(PushOutcome.StoreReason.BATCHED, ((PushOutcome.Stored) inbox.offer(Queued.displayed(
                webPush("s1", "normal", 60, WebPushUrgency.NORMAL, "", NOW)), SCREEN_OFF, NOW).outcome()).reason());
        assertEquals(PushOutcome.StoreReason.HELD, ((PushOutcome.Stored) inbox.offer(Queued.displayed(
                webPush("s1", "very-low", 60, WebPushUrgency.VERY_LOW, "", NOW)), SCREEN_OFF, NOW).outcome()).reason());
    }

    @Test
    void aStoredWebPushMessageCanBeFoundAndDeletedUntilDelivered() {
        var message = webPush("s1", "m", 600, WebPushUrgency.NORMAL, "", NOW);
        inbox.offerOffline(message, NOW);
        assertTrue(inbox.findWebPush("s1", message.messageId(), NOW).isPresent());
        assertTrue(inbox.removeWebPush("s1", message.messageId(), NOW));
        assertFalse(inbox.removeWebPush("s1", message.messageId(), NOW));
        assertEquals(List.of(), linkUp(inbox, SCREEN_ON, NOW));
    }

    @Test
    void closedChannelsAndRemovedSubscriptionsLoseWhatWaited() {
        inbox.offerOffline(wns(WnsType.TILE, "tile"), NOW);
        inbox.offer(Queued.displayed(raw("held", PushPriority.LOW)), SCREEN_OFF, NOW);
        inbox.offerOffline(webPush("s1", "m", 600, WebPushUrgency.NORMAL, "", NOW), NOW);
        inbox.discardChannels(APP, Set.of("ch-1"));
        inbox.discardSubscription("s1");
        assertFalse(inbox.holdsLiveItems(NOW));
    }

    @Test
    void theStoreIsBoundedPerSubscriptionAndPerDevice() {
        PushInbox small = new PushInbox(new PushDeliverySettings(OfflineCachePolicy.Windows8, TileQueue.Off,
                java.time.Duration.ofDays(3), java.time.Duration.ofMinutes(5), 3, 2, java.time.Duration.ofDays(30),
                java.time.Duration.ofSeconds(30)));
        small.offerOffline(webPush("s1", "a", 600, WebPushUrgency.NORMAL, "", NOW), NOW);
        small.offerOffline(webPush("s1", "b", 600, WebPushUrgency.NORMAL, "", NOW + 1), NOW);
        small.offerOffline(webPush("s1", "c", 600, WebPushUrgency.NORMAL, "", NOW + 2), NOW);
        small.offerOffline(webPush("s2", "d", 600, WebPushUrgency.NORMAL, "", NOW + 3), NOW);
        small.offerOffline(webPush("s3", "e", 600, WebPushUrgency.NORMAL, "", NOW + 4), NOW);
        assertEquals(List.of("c", "d", "e"), bodies(linkUp(small, SCREEN_ON, NOW + 10)));
    }
}
