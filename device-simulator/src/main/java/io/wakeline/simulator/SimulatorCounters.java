package io.wakeline.simulator;

import io.wakeline.protocol.v1.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Running totals of the fleet. Written by the selector thread only, read by any thread: atomics rather than
 * a round trip through the selector's command queue, so stats stay readable while the loop is busy or gone.
 */
final class SimulatorCounters {
    private static final ErrorCode[] CODES = ErrorCode.values();

    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger linked = new AtomicInteger();
    private final AtomicInteger devicesWithEveryChannel = new AtomicInteger();
    private final AtomicLong handshakesCompleted = new AtomicLong();
    private final AtomicLong channelsIssued = new AtomicLong();
    private final AtomicLong notificationsReceived = new AtomicLong();
    private final AtomicLong acksSent = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong goAways = new AtomicLong();
    private final AtomicLong errorsReceived = new AtomicLong();
    private final AtomicLongArray errorsByCode = new AtomicLongArray(CODES.length);

    void connectionEstablished() {
        connected.incrementAndGet();
    }

    void connectionClosed() {
        connected.decrementAndGet();
    }

    void handshakeCompleted() {
        handshakesCompleted.incrementAndGet();
        linked.incrementAndGet();
    }

    void linkClosed() {
        linked.decrementAndGet();
    }

    void channelIssued() {
        channelsIssued.incrementAndGet();
    }

    void deviceHasEveryChannel() {
        devicesWithEveryChannel.incrementAndGet();
    }

    int devicesWithEveryChannel() {
        return devicesWithEveryChannel.get();
    }

    void notificationReceived() {
        notificationsReceived.incrementAndGet();
    }

    void acked(int deliveryIds) {
        acksSent.addAndGet(deliveryIds);
    }

    void reconnecting() {
        reconnects.incrementAndGet();
    }

    void goAwayReceived() {
        goAways.incrementAndGet();
    }

    void errorReceived(ErrorCode code) {
        errorsReceived.incrementAndGet();
        errorsByCode.incrementAndGet(code.ordinal());
    }

    SimulatorStats snapshot(int devices) {
        Map<ErrorCode, Long> byCode = new EnumMap<>(ErrorCode.class);
        for (ErrorCode code : CODES) {
            long count = errorsByCode.get(code.ordinal());
            if (count > 0) {
                byCode.put(code, count);
            }
        }
        return new SimulatorStats(devices, connected.get(), linked.get(), handshakesCompleted.get(),
                channelsIssued.get(), notificationsReceived.get(), acksSent.get(), reconnects.get(), goAways.get(),
                errorsReceived.get(), byCode);
    }
}
