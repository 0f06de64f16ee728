package io.wakeline.broker.device.policy;

/** The background trigger classes of Windows 8/8.1 (wns-spec 8.1–8.5) that start a task charged to the sandbox. */
public enum TriggerKind {
    /** Raw push notification (wns-spec 5.7, 8.5). Real-time; lock screen only. */
    PushNotificationTrigger,
    /** Network trigger of a control channel, data or keep-alive (wns-spec 7). Real-time; lock screen only. */
    ControlChannelTrigger,
    /** Freshness at least 15 minutes (wns-spec 8.3). Lock screen only. */
    TimeTrigger,
    /** Freshness at least 15 minutes, runs on mains only (wns-spec 8.4). Any app. */
    MaintenanceTrigger,
    /** A system event such as {@link SystemTriggerType#LockScreenApplicationAdded}. Any app for the events modelled here. */
    SystemTrigger;

    /** The "critical" triggers with a guaranteed resource share (wns-spec 8.13). */
    public boolean realTime() {
        return this == PushNotificationTrigger || this == ControlChannelTrigger;
    }

    /** Lock-screen-only trigger classes on Windows 8 (wns-spec 8.2). */
    public boolean requiresLockScreen() {
        return this == PushNotificationTrigger || this == ControlChannelTrigger || this == TimeTrigger;
    }

    /** Time-based triggers whose freshness must be at least 15 minutes (wns-spec 8.3, 8.4). */
    public boolean timed() {
        return this == TimeTrigger || this == MaintenanceTrigger;
    }
}
