package io.wakeline.simulator;

import io.wakeline.protocol.v1.ControlChannelTriggerStatus;
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
    private static final ControlChannelTriggerStatus[] CHANNEL_STATUSES = ControlChannelTriggerStatus.values();

    /** The device-model totals, one slot each (see {@link DeviceModelStats} for their meaning). */
    enum Model {
        POWER_REPORTS, APP_STATE_REPORTS,
        LOCK_SCREEN_REQUESTS, LOCK_SCREEN_PROMPTS, CONSENTS_ALLOWED, CONSENTS_DENIED, LOCK_SCREEN_GRANTS,
        LOCK_SCREEN_DENIALS,
        TRIGGER_REGISTRATIONS, TRIGGER_REGISTRATIONS_ACCEPTED, TRIGGER_REGISTRATIONS_REJECTED,
        CONTROL_CHANNEL_REQUESTS, CONTROL_CHANNEL_REJECTIONS,
        TASK_REQUESTS, TASKS_ALLOWED, TASKS_DEFERRED, TASKS_QUOTA_EXHAUSTED, TASKS_REFUSED,
        BACKGROUND_TASKS_RUN, TASK_REPORTS,
        SYSTEM_TRIGGERS, FOREGROUND_EVENTS, BACKGROUND_TASK_DELIVERIES
    }

    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger linked = new AtomicInteger();
    private final AtomicInteger devicesWithEveryChannel = new AtomicInteger();
    private final AtomicLong handshakesCompleted = new AtomicLong();
    private final AtomicLong channelsIssued = new AtomicLong();
    private final AtomicLong notificationsReceived = new AtomicLong();
    private final AtomicLong acksSent = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong goAways = new AtomicLong();
    private final AtomicLong foregroundReports = new AtomicLong();
    private final AtomicLong errorsReceived = new AtomicLong();
    private final AtomicLongArray errorsByCode = new AtomicLongArray(CODES.length);
    private final AtomicLongArray model = new AtomicLongArray(Model.values().length);
    private final AtomicLongArray channelStatuses = new AtomicLongArray(CHANNEL_STATUSES.length);
    private final DeviceModelMode modelMode;
    private final AtomicLong controlProcessed = new AtomicLong();
    private final AtomicLong controlDuplicates = new AtomicLong();
    private final AtomicLong controlOutOfOrder = new AtomicLong();
    private final AtomicLong controlAcks = new AtomicLong();
    private final AtomicLong controlKeepAlives = new AtomicLong();

    SimulatorCounters(DeviceModelMode modelMode) {
        this.modelMode = modelMode;
    }

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

    void controlProcessed(boolean skippedSequence) {
        controlProcessed.incrementAndGet();
        if (skippedSequence) {
            controlOutOfOrder.incrementAndGet();
        }
    }

    void controlDuplicate() {
        controlDuplicates.incrementAndGet();
    }

    void controlAckSent() {
        controlAcks.incrementAndGet();
    }

    void controlKeepAliveSent() {
        controlKeepAlives.incrementAndGet();
    }

    ControlStats controlSnapshot() {
        return new ControlStats(controlProcessed.get(), controlDuplicates.get(), controlOutOfOrder.get(),
                controlAcks.get(), controlKeepAlives.get());
    }

    void foregroundReported() {
        foregroundReports.incrementAndGet();
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

    void model(Model counter) {
        model.incrementAndGet(counter.ordinal());
    }

    void controlChannelStatus(ControlChannelTriggerStatus status) {
        channelStatuses.incrementAndGet(status.ordinal());
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
                errorsReceived.get(), byCode, modelSnapshot(), controlSnapshot(), foregroundReports.get());
    }

    private DeviceModelStats modelSnapshot() {
        Map<ControlChannelTriggerStatus, Long> statuses = new EnumMap<>(ControlChannelTriggerStatus.class);
        for (ControlChannelTriggerStatus status : CHANNEL_STATUSES) {
            long count = channelStatuses.get(status.ordinal());
            if (count > 0) {
                statuses.put(status, count);
            }
        }
        return new DeviceModelStats(modelMode,
                get(Model.POWER_REPORTS), get(Model.APP_STATE_REPORTS),
                get(Model.LOCK_SCREEN_REQUESTS), get(Model.LOCK_SCREEN_PROMPTS), get(Model.CONSENTS_ALLOWED),
                get(Model.CONSENTS_DENIED), get(Model.LOCK_SCREEN_GRANTS), get(Model.LOCK_SCREEN_DENIALS),
                get(Model.TRIGGER_REGISTRATIONS), get(Model.TRIGGER_REGISTRATIONS_ACCEPTED),
                get(Model.TRIGGER_REGISTRATIONS_REJECTED),
                get(Model.CONTROL_CHANNEL_REQUESTS), statuses, get(Model.CONTROL_CHANNEL_REJECTIONS),
                get(Model.TASK_REQUESTS), get(Model.TASKS_ALLOWED), get(Model.TASKS_DEFERRED),
                get(Model.TASKS_QUOTA_EXHAUSTED), get(Model.TASKS_REFUSED),
                get(Model.BACKGROUND_TASKS_RUN), get(Model.TASK_REPORTS),
                get(Model.SYSTEM_TRIGGERS), get(Model.FOREGROUND_EVENTS), get(Model.BACKGROUND_TASK_DELIVERIES));
    }

    private long get(Model counter) {
        return model.get(counter.ordinal());
    }
}
