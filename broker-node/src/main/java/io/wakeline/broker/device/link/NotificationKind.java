package io.wakeline.broker.device.link;

/** What kind of WNS notification the link carries (docs/protocol.md "Notification": its type). */
public enum NotificationKind {
    Toast,
    Tile,
    Badge,
    /** Handed to the app's code: an event in the foreground, or its background task ({@link DeliveryMode}). */
    Raw
}
