package io.wakeline.broker.gateway.device;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the device gateway, read by tests, benchmarks and the node's status output. */
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
