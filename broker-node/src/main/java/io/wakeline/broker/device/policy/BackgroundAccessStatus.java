package io.wakeline.broker.device.policy;

/**
 * {@code Windows.ApplicationModel.Background.BackgroundAccessStatus} as Windows 8/8.1 returned it from
 * {@code RequestAccessAsync} (wns-spec 6.6). The Windows 10 additions (4–7) are deliberately absent.
 */
public enum BackgroundAccessStatus {
    /** No choice made (dialog dismissed, or a dialog is still up); the app cannot run in the background. */
    Unspecified(0),
    /** On the lock screen and holding one of the three real-time-connectivity (hardware) slots. */
    AllowedWithAlwaysOnRealTimeConnectivity(1),
    /** On the lock screen without real-time connectivity: software control-channel slots only. */
    AllowedMayUseActiveRealTimeConnectivity(2),
    /** Not on the lock screen; no background tasks, no control channels. */
    Denied(3);

    private final int value;

    BackgroundAccessStatus(int value) {
        this.value = value;
    }

    /** The Windows numeric value. */
    public int value() {
        return value;
    }

    /** Whether this status means the app is on the lock screen. */
    public boolean onLockScreen() {
        return this == AllowedWithAlwaysOnRealTimeConnectivity || this == AllowedMayUseActiveRealTimeConnectivity;
    }
}
