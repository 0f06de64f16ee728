package io.wakeline.broker.device;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.wakeline.broker.CborSerializable;

/** What the device's entity did with a {@link RawPush}; the gateway maps it to status + WNS headers. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
@JsonSubTypes({
    @JsonSubTypes.Type(value = RawPushOutcome.Delivered.class, name = "delivered"),
    @JsonSubTypes.Type(value = RawPushOutcome.Cached.class, name = "cached"),
    @JsonSubTypes.Type(value = RawPushOutcome.Dropped.class, name = "dropped"),
    @JsonSubTypes.Type(value = RawPushOutcome.ChannelUnknown.class, name = "unknown"),
    @JsonSubTypes.Type(value = RawPushOutcome.ChannelClosed.class, name = "closed")
})
public sealed interface RawPushOutcome extends CborSerializable {

    /** Handed to the device's live link: 200, {@code X-WNS-Status: received}. */
    record Delivered(DeviceConnectionStatus connection) implements RawPushOutcome {
    }

    /** Device offline, kept as the one cached raw ({@code X-WNS-Cache-Policy: cache}): 200 received. */
    record Cached(DeviceConnectionStatus connection) implements RawPushOutcome {
    }

    /** Not delivered and not kept: 200, {@code X-WNS-Status: dropped}. */
    record Dropped(DeviceConnectionStatus connection, String reason) implements RawPushOutcome {
    }

    /** The entity holds no such channel (e.g. a token sealed with our key but never issued): 404. */
    record ChannelUnknown() implements RawPushOutcome {
    }

    /** The channel was closed by the device app (wns-spec 4.5): 410. */
    record ChannelClosed() implements RawPushOutcome {
    }
}
