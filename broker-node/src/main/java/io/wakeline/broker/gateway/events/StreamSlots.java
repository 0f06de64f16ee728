package io.wakeline.broker.gateway.events;

import java.util.concurrent.ConcurrentHashMap;

/** Open event streams per app on this node, at most {@code maxPerApp} each. */
final class StreamSlots {
    private final int maxPerApp;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    public StreamSlots(int maxPerApp) {
        this.maxPerApp = maxPerApp;
    }

    /** Takes a slot for {@code appId}; false when the app already has {@code maxPerApp} streams. */
    public boolean tryAcquire(String appId) {
        boolean[] taken = {false};
        open.compute(appId, (id, n) -> {
            int current = n == null ? 0 : n;
            if (current >= maxPerApp) {
                return current;
            }
            taken[0] = true;
            return current + 1;
        });
        return taken[0];
    }

    public void release(String appId) {
        open.computeIfPresent(appId, (id, n) -> n <= 1 ? null : n - 1);
    }

    public int open(String appId) {
        return open.getOrDefault(appId, 0);
    }
}
