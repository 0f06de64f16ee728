package io.wakeline.broker.device.policy;

/** Where a Windows Store app is in its lifecycle, as the device reports it (wns-spec 5.5, 10). */
public enum AppExecutionState {
    /** Visible and running: receives {@code PushNotificationReceived}. */
    Foreground,
    /** In memory but not running; reachable only through background tasks. */
    Suspended,
    /** Not launched, or terminated; reachable only through background tasks. */
    NotRunning
}
