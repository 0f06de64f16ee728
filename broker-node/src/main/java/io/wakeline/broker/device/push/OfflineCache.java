package io.wakeline.broker.device.push;

import io.wakeline.broker.device.CachePolicy;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.WnsPush;
import io.wakeline.broker.device.WnsType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * WNS notifications kept for an offline device (wns-spec 4.9–4.12, 5.9). One instance per device entity, in
 * memory only; its owner calls it from one thread.
 *
 * <ul>
 *   <li>tile: the latest, or with {@link TileQueue#On} up to five, a tagged tile replacing the one with its tag;</li>
 *   <li>badge: the latest;</li>
 *   <li>toast: the latest if the policy caches toasts, else dropped ("toast to an offline device", wns-spec 3.1);</li>
 *   <li>raw: the latest, only with {@code X-WNS-Cache-Policy: cache};</li>
 *   <li>tile and badge sent with {@code no-cache}, and toasts sent with {@code no-cache}, are not kept;</li>
 *   <li>an item past its {@code X-WNS-TTL}, or older than {@code maxAge}, is never handed out (4.9 "after a
 *       reasonable period", 4.11).</li>
 * </ul>
 */
public final class OfflineCache {
    private final OfflineCachePolicy policy;
    private final int tileCapacity;
    private final long maxAgeMillis;
    private final Map<String, Slots> byScope = new HashMap<>();

    public OfflineCache(OfflineCachePolicy policy, TileQueue tileQueue, Duration maxAge) {
        this.policy = policy;
        this.tileCapacity = policy.tileQueueAllowed() ? tileQueue.capacity() : 1;
        this.maxAgeMillis = maxAge.toMillis();
    }

    /** What happened to an offered notification. */
    public sealed interface Admission {
        record Cached() implements Admission {
        }

        record Dropped(PushOutcome.DropReason reason) implements Admission {
        }
    }

    public Admission offer(WnsPush push, long nowMillis) {
        if (push.isExpiredAt(nowMillis)) {
            return new Admission.Dropped(PushOutcome.DropReason.TtlElapsedOffline);
        }
        if (push.cachePolicy() == CachePolicy.NO_CACHE) {
            return new Admission.Dropped(PushOutcome.DropReason.NotCachedOffline);
        }
        if (push.type() == WnsType.TOAST && !policy.cachesToasts()) {
            return new Admission.Dropped(PushOutcome.DropReason.ToastNotCachedOffline);
        }
        Slots slots = byScope.computeIfAbsent(scopeKey(push), k -> new Slots());
        switch (push.type()) {
            case TILE -> slots.addTile(push, tileCapacity);
            case BADGE -> slots.badge = push;
            case TOAST -> slots.toast = push;
            case RAW -> slots.raw = push;
        }
        return new Admission.Cached();
    }

    /** Everything still deliverable, oldest first, and forgets it all. */
    public List<WnsPush> drain(long nowMillis) {
        List<WnsPush> all = new ArrayList<>();
        for (Slots slots : byScope.values()) {
            slots.collectInto(all);
        }
        byScope.clear();
        all.removeIf(push -> !isLive(push, nowMillis));
        all.sort(Comparator.comparingLong(WnsPush::acceptedAtMillis));
        return all;
    }

    /** Whether anything kept could still be delivered. */
    public boolean holdsLiveItems(long nowMillis) {
        List<WnsPush> all = new ArrayList<>();
        for (Slots slots : byScope.values()) {
            slots.collectInto(all);
        }
        return all.stream().anyMatch(push -> isLive(push, nowMillis));
    }

    /** Forgets what was kept for these channels of the app (they were closed). */
    public void discardChannels(String appId, Set<String> channelIds) {
        for (Slots slots : byScope.values()) {
            slots.removeIf(push -> push.appId().equals(appId) && channelIds.contains(push.channelId()));
        }
    }

    private boolean isLive(WnsPush push, long nowMillis) {
        return !push.isExpiredAt(nowMillis) && nowMillis - push.acceptedAtMillis() < maxAgeMillis;
    }

    private String scopeKey(WnsPush push) {
        return policy.scope() == OfflineCachePolicy.Scope.App ? push.appId() : push.appId() + "\n" + push.channelId();
    }

    /** The cached items of one app or channel. */
    private static final class Slots {
        private final List<WnsPush> tiles = new ArrayList<>(1);
        private WnsPush badge;
        private WnsPush toast;
        private WnsPush raw;

        void addTile(WnsPush tile, int capacity) {
            if (capacity == 1) {
                tiles.clear();
            } else if (tile.hasTag()) {
                tiles.removeIf(queued -> queued.tag().equals(tile.tag()));
            }
            tiles.add(tile);
            while (tiles.size() > capacity) {
                tiles.remove(0);
            }
        }

        void collectInto(List<WnsPush> out) {
            out.addAll(tiles);
            Optional.ofNullable(badge).ifPresent(out::add);
            Optional.ofNullable(toast).ifPresent(out::add);
            Optional.ofNullable(raw).ifPresent(out::add);
        }

        void removeIf(Predicate<WnsPush> gone) {
            for (Iterator<WnsPush> it = tiles.iterator(); it.hasNext(); ) {
                if (gone.test(it.next())) {
                    it.remove();
                }
            }
            if (badge != null && gone.test(badge)) {
                badge = null;
            }
            if (toast != null && gone.test(toast)) {
                toast = null;
            }
            if (raw != null && gone.test(raw)) {
                raw = null;
            }
        }
    }
}
