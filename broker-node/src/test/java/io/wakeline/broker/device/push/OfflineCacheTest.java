package io.wakeline.broker.device.push;

import static io.wakeline.broker.device.push.PushFixtures.APP;
import static io.wakeline.broker.device.push.PushFixtures.NOW;
import static io.wakeline.broker.device.push.PushFixtures.OTHER_APP;
import static io.wakeline.broker.device.push.PushFixtures.body;
import static io.wakeline.broker.device.push.PushFixtures.wns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.device.CachePolicy;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.PushPriority;
import io.wakeline.broker.device.WnsPush;
import io.wakeline.broker.device.WnsType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** wns-spec 4.9–4.12, 5.9: what an offline device gets when it comes back, per type and policy. */
class OfflineCacheTest {
    private static final Duration MAX_AGE = Duration.ofDays(3);

    private static OfflineCache cache(OfflineCachePolicy policy, TileQueue queue) {
        return new OfflineCache(policy, queue, MAX_AGE);
    }

    private static List<String> drained(OfflineCache cache) {
        return cache.drain(NOW + 1).stream().map(PushFixtures::body).toList();
    }

    private static WnsPush at(long acceptedAt, String channel, WnsType type, String body) {
        return wns(APP, channel, type, body, type.defaultCachePolicy(), "", type.defaultPriority(), Push.NEVER, acceptedAt);
    }

    private static WnsPush tagged(long acceptedAt, String tag, String body) {
        return wns(APP, "ch-1", WnsType.TILE, body, CachePolicy.CACHE, tag, PushPriority.MEDIUM, Push.NEVER, acceptedAt);
    }

    @Test
    void onlyTheLatestTileAndBadgeAreKept() {
        OfflineCache cache = cache(OfflineCachePolicy.Windows8, TileQueue.Off);
        cache.offer(at(NOW - 5, "ch-1", WnsType.TILE, "tile-1"), NOW);
        cache.offer(at(NOW - 4, "ch-1", WnsType.BADGE, "badge-1"), NOW);
        cache.offer(at(NOW - 3, "ch-1", WnsType.TILE, "tile-2"), NOW);
        cache.offer(at(NOW - 2, "ch-1", WnsType.BADGE, "badge-2"), NOW);
        assertEquals(List.of("tile-2", "badge-2"), drained(cache));
        assertEquals(List.of(), drained(cache), "a drain forgets");
    }

    @Test
    void windows8NeverKeepsToastsAndSaysSo() {
        OfflineCache cache = cache(OfflineCachePolicy.Windows8, TileQueue.Off);
        var admission = cache.offer(wns(WnsType.TOAST, "toast"), NOW);
        assertEquals(PushOutcome.DropReason.ToastNotCachedOffline,
                assertInstanceOf(OfflineCache.Admission.Dropped.class, admission).reason());
        assertEquals(List.of(), drained(cache));
    }

    @Test
    void windows10AndWns2023KeepTheLatestToastPerChannel() {
        for (OfflineCachePolicy policy : List.of(OfflineCachePolicy.Windows10, OfflineCachePolicy.Wns2023)) {
            OfflineCache cache = cache(policy, TileQueue.Off);
            cache.offer(at(NOW - 3, "ch-1", WnsType.TOAST, "toast-1"), NOW);
            cache.offer(at(NOW - 2, "ch-1", WnsType.TOAST, "toast-2"), NOW);
            cache.offer(at(NOW - 1, "ch-2", WnsType.TOAST, "toast-other-channel"), NOW);
            assertEquals(List.of("toast-2", "toast-other-channel"), drained(cache), policy.name());
        }
    }

    @Test
    void windows8ScopesByAppSoTwoChannelsOfOneAppShareTheTileSlot() {
        OfflineCache perApp = cache(OfflineCachePolicy.Windows8, TileQueue.Off);
        perApp.offer(at(NOW - 2, "ch-1", WnsType.TILE, "tile-ch-1"), NOW);
        perApp.offer(at(NOW - 1, "ch-2", WnsType.TILE, "tile-ch-2"), NOW);
        assertEquals(List.of("tile-ch-2"), drained(perApp));
        OfflineCache perChannel = cache(OfflineCachePolicy.Windows10, TileQueue.Off);
        perChannel.offer(at(NOW - 2, "ch-1", WnsType.TILE, "tile-ch-1"), NOW);
        perChannel.offer(at(NOW - 1, "ch-2", WnsType.TILE, "tile-ch-2"), NOW);
        assertEquals(List.of("tile-ch-1", "tile-ch-2"), drained(perChannel));
    }

    @Test
    void differentAppsNeverShareSlots() {
        OfflineCache cache = cache(OfflineCachePolicy.Windows8, TileQueue.Off);
        cache.offer(at(NOW - 2, "ch-1", WnsType.BADGE, "badge-a"), NOW);
        cache.offer(wns(OTHER_APP, "ch-9", WnsType.BADGE, "badge-b", CachePolicy.CACHE, "", PushPriority.MEDIUM,
                Push.NEVER, NOW - 1), NOW);
        assertEquals(List.of("badge-a", "badge-b"), drained(cache));
    }

    @Test
    void theTileQueueKeepsFiveAndATagReplacesItsNamesake() {
        OfflineCache cache = cache(OfflineCachePolicy.Windows8, TileQueue.On);
        for (int i = 1; i <= 6; i++) {
            cache.offer(tagged(NOW - 100 + i, "t" + i, "tile-" + i), NOW);
        }
        cache.offer(tagged(NOW - 10, "t3", "tile-3-updated"), NOW);
        cache.offer(at(NOW - 9, "ch-1", WnsType.TILE, "untagged"), NOW);
        // six tagged went in, the oldest fell out; t3 was replaced in place of its old one; the untagged pushed t2 out
        assertEquals(List.of("tile-4", "tile-5", "tile-6", "tile-3-updated", "untagged"), drained(cache));
    }

    @Test
    void wns2023KeepsOneTileEvenWithTheQueueOn() {
        OfflineCache cache = cache(OfflineCachePolicy.Wns2023, TileQueue.On);
        cache.offer(tagged(NOW - 2, "a", "tile-a"), NOW);
        cache.offer(tagged(NOW - 1, "b", "tile-b"), NOW);
        assertEquals(List.of("tile-b"), drained(cache));
    }

    @Test
    void rawIsKeptOnlyWithCacheAndOnlyTheLatest() {
        OfflineCache cache = cache(OfflineCachePolicy.Windows8, TileQueue.Off);
        var noCache = cache.offer(at(NOW - 3, "ch-1", WnsType.RAW, "raw-no-cache"), NOW);
        assertInstanceOf(OfflineCache.Admission.Dropped.class, noCache);
        cache.offer(wns(APP, "ch-1", WnsType.RAW, "raw-1", CachePolicy.CACHE, "", PushPriority.LOW, Push.NEVER, NOW - 2), NOW);
        cache.offer(wns(APP, "ch-1", WnsType.RAW, "raw-2", CachePolicy.CACHE, "", PushPriority.LOW, Push.NEVER, NOW - 1), NOW);
        assertEquals(List.of("raw-2"), drained(cache));
    }

    @Test
    void tileAndBadgeSentWithNoCacheAreNotKept() {
        OfflineCache cache = cache(OfflineCachePolicy.Windows10, TileQueue.Off);
        for (WnsType type : List.of(WnsType.TILE, WnsType.BADGE, WnsType.TOAST)) {
            var admission = cache.offer(wns(APP, "ch-1", type, "x", CachePolicy.NO_CACHE, "", type.defaultPriority(),
                    Push.NEVER, NOW), NOW);
            assertInstanceOf(OfflineCache.Admission.Dropped.class, admission, type.name());
        }
        assertFalse(cache.holdsLiveItems(NOW));
    }

    @Test
    void aTtlThatEndsBeforeTheDeviceReturnsMeansNoDelivery() {
        OfflineCache cache = cache(OfflineCachePolicy.Windows8, TileQueue.Off);
        cache.offer(wns(APP, "ch-1", WnsType.TILE, "short-lived", CachePolicy.CACHE, "", PushPriority.MEDIUM, NOW + 1000, NOW), NOW);
        cache.offer(wns(APP, "ch-1", WnsType.BADGE, "long-lived", CachePolicy.CACHE, "", PushPriority.MEDIUM, NOW + 60_000, NOW), NOW);
        assertTrue(cache.holdsLiveItems(NOW + 999));
        assertEquals(List.of("long-lived"), cache.drain(NOW + 1000).stream().map(PushFixtures::body).toList());
    }

    @Test
    void anAlreadyExpiredNotificationIsNotKept() {
        OfflineCache cache = cache(OfflineCachePolicy.Windows8, TileQueue.Off);
        var admission = cache.offer(wns(APP, "ch-1", WnsType.TILE, "ttl-0", CachePolicy.CACHE, "", PushPriority.MEDIUM, NOW, NOW), NOW);
        assertInstanceOf(OfflineCache.Admission.Dropped.class, admission);
    }

    @Test
    void itemsOlderThanTheMaxAgeAreDropped() {
        OfflineCache cache = cache(OfflineCachePolicy.Windows8, TileQueue.Off);
        cache.offer(at(NOW, "ch-1", WnsType.TILE, "old"), NOW);
        assertFalse(cache.holdsLiveItems(NOW + MAX_AGE.toMillis()));
        assertEquals(List.of(), cache.drain(NOW + MAX_AGE.toMillis()));
    }

    @Test
    void closedChannelsLoseWhatWasKeptForThem() {
        OfflineCache cache = cache(OfflineCachePolicy.Windows10, TileQueue.Off);
        cache.offer(at(NOW - 2, "ch-1", WnsType.TILE, "tile-1"), NOW);
        cache.offer(at(NOW - 1, "ch-2", WnsType.TILE, "tile-2"), NOW);
        cache.discardChannels(APP, Set.of("ch-1"));
        assertEquals(List.of("tile-2"), drained(cache));
    }

    @Test
    void policiesAreSpelledInConfigurationAsDocumented() {
        assertEquals(OfflineCachePolicy.Windows8, OfflineCachePolicy.fromConfig("windows-8"));
        assertEquals(OfflineCachePolicy.Windows10, OfflineCachePolicy.fromConfig("Windows-10"));
        assertEquals(OfflineCachePolicy.Wns2023, OfflineCachePolicy.fromConfig(" wns-2023 "));
    }
}
