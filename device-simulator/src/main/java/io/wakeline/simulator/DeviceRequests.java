package io.wakeline.simulator;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Requests a caller made on a device's behalf (ChannelClose, WebPushSubscribe) that wait for the broker's answer,
 * by device and request id. Selector thread only. Ids start far above the channel requests' (app position + 1).
 */
final class DeviceRequests {
    private static final int FIRST_REQUEST_ID = 1_000_000;

    private final Map<String, CompletableFuture<?>> pending = new HashMap<>();
    private int nextRequestId = FIRST_REQUEST_ID;

    int register(String deviceId, CompletableFuture<?> done) {
        int requestId = nextRequestId++;
        if (nextRequestId < FIRST_REQUEST_ID) {
            nextRequestId = FIRST_REQUEST_ID;
        }
        pending.put(key(deviceId, requestId), done);
        return requestId;
    }

    /** The waiting future, removed; null when nobody waits for this answer. */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> take(String deviceId, int requestId) {
        return (CompletableFuture<T>) pending.remove(key(deviceId, requestId));
    }

    /** The broker refused a request: its caller gets the error. */
    void fail(String deviceId, int requestId, String reason) {
        CompletableFuture<?> done = pending.remove(key(deviceId, requestId));
        if (done != null) {
            done.completeExceptionally(new IllegalStateException(reason));
        }
    }

    /** The device's link went away: no answer will come. */
    void failAll(String deviceId) {
        String prefix = deviceId + "#";
        for (Iterator<Map.Entry<String, CompletableFuture<?>>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, CompletableFuture<?>> entry = it.next();
            if (entry.getKey().startsWith(prefix)) {
                entry.getValue().completeExceptionally(new IllegalStateException("link of " + deviceId + " closed"));
                it.remove();
            }
        }
    }

    private static String key(String deviceId, int requestId) {
        return deviceId + "#" + requestId;
    }
}
