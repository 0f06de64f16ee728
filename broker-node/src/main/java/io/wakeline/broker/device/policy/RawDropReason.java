package io.wakeline.broker.device.policy;

/** Why a raw notification is not delivered (wns-spec 5.4, 5.9); the gateway answers {@code X-WNS-Status: dropped}. */
public enum RawDropReason {
    /** The link is down; the gateway may still keep it under {@code X-WNS-Cache-Policy: cache} (wns-spec 5.9). */
    DeviceOffline,
    /** The device sleeps or hibernates: nothing wakes it. */
    DeviceAsleep,
    /** Not in the foreground, and not a lock-screen app: background tasks for raw pushes need the lock screen (5.8). */
    NotOnLockScreen,
    /** Not in the foreground, and no background task registered with a PushNotificationTrigger (5.7, 5.9). */
    NoPushNotificationTrigger,
    /** The app's sandbox quota is used up until the next refill (wns-spec 8.11). */
    SandboxQuotaExhausted
}
