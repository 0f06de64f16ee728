package io.wakeline.broker.device.policy;

import java.util.List;

/** Outcome of creating a control channel: what {@code WaitForPushEnabled} returns, or why the constructor throws. */
public sealed interface ChannelCreation extends PolicyDecision {

    /**
     * {@code WaitForPushEnabled} returned {@code status}; {@code events} hold {@code ControlChannelCreated} exactly
     * when {@code status.allocated()}.
     */
    record Completed(ControlChannelTriggerStatus status, List<DevicePolicyEvent> events) implements ChannelCreation {
        public Completed {
            events = List.copyOf(events);
        }
    }

    /** What makes the Windows constructor throw (wns-spec 7.2, 7.3); nothing changes. */
    record Rejected(ChannelRejection reason) implements ChannelCreation {
        @Override
        public List<DevicePolicyEvent> events() {
            return List.of();
        }
    }

    enum ChannelRejection {
        /** Empty, or longer than 64 characters (wns-spec 7.3). */
        InvalidChannelId,
        /** Outside 15…1439 minutes (wns-spec 7.3). */
        ServerKeepAliveIntervalOutOfRange,
        /** {@code UnauthorizedAccessException}: the app is not on the lock screen (wns-spec 7.2). */
        NotOnLockScreen,
        /** The app already has an open channel with this id. */
        DuplicateChannelId
    }
}
