package io.wakeline.broker.device.link;

/** How a notification reaches its app on the device (docs/protocol.md "Notification"). */
public enum DeliveryMode {
    /** Shown by the system (toast, tile, badge): no app code runs. */
    Display,
    /** Raised in the app running in the foreground ({@code PushNotificationReceived}, wns-spec 5.5). */
    ForegroundEvent,
    /** Handed to the app's background task, which the device starts (wns-spec 5.7, 7.9); its start is journaled. */
    BackgroundTask
}
