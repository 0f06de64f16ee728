package io.wakeline.broker.device.policy;

/** {@code ControlChannelTriggerResetReason}: why the system reset an app's control channels (wns-spec 7.13). */
public enum ControlChannelTriggerResetReason {
    FastUserSwitched(0),
    /** Connected-standby exit. */
    LowPowerExit(1),
    /** Quiet hours ended (Windows 8.1+). */
    QuietHoursExit(2),
    /** The app was restarted (Windows 8.1+). */
    ApplicationRestart(3);

    private final int value;

    ControlChannelTriggerResetReason(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
