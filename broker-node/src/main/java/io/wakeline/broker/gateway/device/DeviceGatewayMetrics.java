package io.wakeline.broker.gateway.device;

import io.wakeline.protocol.v1.ErrorCode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the device gateway, read by tests, benchmarks and the node's metrics
 * ({@code io.wakeline.broker.metrics.DeviceGatewayMeters} exports them to Prometheus).
 */
public final class DeviceGatewayMetrics {
    final LongAdder linksOpened = new LongAdder();
    final LongAdder linksClosed = new LongAdder();
    final LongAdder handshakesCompleted = new LongAdder();
    final LongAdder authenticationFailures = new LongAdder();
    final LongAdder malformedFrames = new LongAdder();
    final LongAdder notificationsWritten = new LongAdder();
    final LongAdder notificationsDroppedSlowLink = new LongAdder();
    final LongAdder acksReceived = new LongAdder();
    final LongAdder linksReplaced = new LongAdder();
    final LongAdder entitiesReattached = new LongAdder();
    /** One counter per error code, all created up front: the map is never written after construction. */
    private final Map<ErrorCode, LongAdder> handshakeFailures = handshakeFailureCounters();

    private static Map<ErrorCode, LongAdder> handshakeFailureCounters() {
        Map<ErrorCode, LongAdder> counters = new EnumMap<>(ErrorCode.class);
        for (ErrorCode code : ErrorCode.values()) {
            counters.put(code, new LongAdder());
        }
        return Collections.unmodifiableMap(counters);
    }

    /** A link closed with {@code code} before its handshake completed (Hello, Authenticate, attach). */
    void handshakeFailed(ErrorCode code) {
        handshakeFailures.get(code).increment();
    }

    /** Links closed during their handshake, by the error code they were closed with. */
    public long handshakeFailures(ErrorCode code) {
        return handshakeFailures.get(code).sum();
    }

    public long linksOpened() {
        return linksOpened.sum();
    }

    public long linksClosed() {
        return linksClosed.sum();
    }

    public long handshakesCompleted() {
        return handshakesCompleted.sum();
    }

    public long authenticationFailures() {
        return authenticationFailures.sum();
    }

    public long malformedFrames() {
        return malformedFrames.sum();
    }

    public long notificationsWritten() {
        return notificationsWritten.sum();
    }

    public long notificationsDroppedSlowLink() {
        return notificationsDroppedSlowLink.sum();
    }

    public long acksReceived() {
        return acksReceived.sum();
    }

    public long linksReplaced() {
        return linksReplaced.sum();
    }

    public long entitiesReattached() {
        return entitiesReattached.sum();
    }
}
