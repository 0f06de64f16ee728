package io.wakeline.broker.device;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wakeline.broker.CborSerializable;
import io.wakeline.broker.device.policy.RawDropReason;

/**
 * What the device's entity did with a {@link Push}; each gateway maps it to its own status and headers. Crosses nodes
 * (entity to route): the type names and fields are its wire form (docs/architecture.md).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
@JsonSubTypes({
    @JsonSubTypes.Type(value = PushOutcome.Delivered.class, name = "delivered"),
    @JsonSubTypes.Type(value = PushOutcome.Stored.class, name = "stored"),
    @JsonSubTypes.Type(value = PushOutcome.Dropped.class, name = "dropped"),
    @JsonSubTypes.Type(value = PushOutcome.TargetUnknown.class, name = "unknown"),
    @JsonSubTypes.Type(value = PushOutcome.TargetClosed.class, name = "closed")
})
public sealed interface PushOutcome extends CborSerializable {

    /** Handed to the device's live link. */
    record Delivered(DeviceConnectionStatus connection) implements PushOutcome {
    }

    /** Kept in memory for later delivery, for the reason given. */
    record Stored(DeviceConnectionStatus connection, StoreReason reason) implements PushOutcome {
    }

    /** Neither delivered nor kept. */
    record Dropped(DeviceConnectionStatus connection, DropReason reason) implements PushOutcome {
    }

    /** The device holds no such channel or subscription (sealed with our key, but not or no longer issued). */
    record TargetUnknown() implements PushOutcome {
    }

    /** The channel was closed by the device app (wns-spec 4.5), or the subscription was removed. */
    record TargetClosed() implements PushOutcome {
    }

    enum StoreReason {
        /** The device is offline: the offline cache (wns-spec 4.9–4.10) or the Web Push store (RFC 8030 §5.2) took it. */
        OFFLINE,
        /** Medium priority with the screen off on battery: sent with the next batch (wns-spec 4.17). */
        BATCHED,
        /** Held until the device's power state allows it (wns-spec 4.17). */
        HELD,
        /** The app's background task is running; this one runs next (wns-spec 5.10). */
        WAITING_FOR_BACKGROUND_TASK
    }

    /**
     * Why a push was neither delivered nor kept. On the wire it is the text builds before the rule objects sent in
     * this field, so nodes of both builds read each other's answers (rolling upgrade).
     */
    enum DropReason {
        /** Raw: the device sleeps or hibernates; nothing wakes it (wns-spec 5.4). */
        DeviceAsleep("DeviceAsleep"),
        /** Raw: the link went down before the Windows rules could run. */
        DeviceOffline("DeviceOffline"),
        /** Raw: not in the foreground and not a lock-screen app (wns-spec 5.8). */
        NotOnLockScreen("NotOnLockScreen"),
        /** Raw: not in the foreground and no PushNotificationTrigger task registered (wns-spec 5.7, 5.9). */
        NoPushNotificationTrigger("NoPushNotificationTrigger"),
        /** Raw: the app's sandbox quota is used up until the refill (wns-spec 8.11). */
        SandboxQuotaExhausted("SandboxQuotaExhausted"),
        /** Offline: the notification's {@code X-WNS-TTL} ended (wns-spec 4.11). */
        TtlElapsedOffline("X-WNS-TTL elapsed while the device is offline"),
        /** Offline, sent with {@code X-WNS-Cache-Policy: no-cache} (wns-spec 4.9, 5.9). */
        NotCachedOffline("device is offline and X-WNS-Cache-Policy is no-cache"),
        /** Offline toast under a cache policy that keeps none (wns-spec 3.1, 4.9). */
        ToastNotCachedOffline("device is offline and toasts are not cached offline"),
        /** TTL 0 while the device's power state defers delivery (RFC 8030 §5.2, wns-spec 4.17). */
        TtlZeroDeferred("TTL 0 and the device's power state defers delivery"),
        /** TTL 0 while the device is offline (RFC 8030 §5.2). */
        TtlZeroOffline("TTL 0 and the device is offline");

        private final String wireText;

        DropReason(String wireText) {
            this.wireText = wireText;
        }

        @JsonValue
        public String wireText() {
            return wireText;
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static DropReason ofWireText(String text) {
            for (DropReason reason : values()) {
                if (reason.wireText.equals(text) || reason.name().equals(text)) {
                    return reason;
                }
            }
            throw new IllegalArgumentException("unknown drop reason: " + text);
        }

        public static DropReason of(RawDropReason reason) {
            return switch (reason) {
                case DeviceOffline -> DeviceOffline;
                case DeviceAsleep -> DeviceAsleep;
                case NotOnLockScreen -> NotOnLockScreen;
                case NoPushNotificationTrigger -> NoPushNotificationTrigger;
                case SandboxQuotaExhausted -> SandboxQuotaExhausted;
            };
        }
    }
}
