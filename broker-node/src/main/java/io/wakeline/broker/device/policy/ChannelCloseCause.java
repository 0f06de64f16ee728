package io.wakeline.broker.device.policy;

/** Why a control channel's slot was freed. */
public enum ChannelCloseCause {
    /** The app called {@code ControlChannelTrigger.Close()} (wns-spec 7.6). */
    ClosedByApp,
    /** The app left the lock screen; control channels need it (wns-spec 7.2). */
    AppLeftLockScreen
}
