package io.wakeline.broker.device;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.wakeline.broker.CborSerializable;

/** What the device's entity did with a {@link Push}; each gateway maps it to its own status and headers. */
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
    record Dropped(DeviceConnectionStatus connection, String reason) implements PushOutcome {
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
}
