package io.wakeline.broker.app.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.wakeline.broker.CborSerializable;

/**
 * Something an app server learns on its event stream (issue: "fate to the sender"): the fate of each
 * guaranteed message, upstream messages from its device apps, and control-channel state changes. Device
 * entities publish these; the app's event log keeps them in order for resumable streaming.
 *
 * <p>{@link #key()} identifies an event across retries: publishing the same key twice records it once.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
@JsonSubTypes({
    @JsonSubTypes.Type(value = AppEvent.MessageReceipt.class, name = "receipt"),
    @JsonSubTypes.Type(value = AppEvent.UpstreamMessage.class, name = "upstream"),
    @JsonSubTypes.Type(value = AppEvent.ChannelStateChanged.class, name = "channel-state")
})
public sealed interface AppEvent extends CborSerializable {

    String deviceId();

    String channelId();

    long atMillis();

    /** Stable identity for de-duplication of re-published events. */
    String key();

    /** Where a guaranteed message stands: accepted → delivered → acked, or expired / rejected. */
    enum MessageFate {
        ACCEPTED, DELIVERED, ACKED, EXPIRED, REJECTED
    }

    record MessageReceipt(String deviceId, String channelId, String messageId, MessageFate fate, String reason,
                          long atMillis) implements AppEvent {
        @Override
        public String key() {
            return "r|" + deviceId + "|" + channelId + "|" + messageId + "|" + fate;
        }
    }

    record UpstreamMessage(String deviceId, String channelId, long upstreamId, byte[] payload, long atMillis)
            implements AppEvent {
        @Override
        public String key() {
            return "u|" + deviceId + "|" + channelId + "|" + upstreamId;
        }
    }

    /** ACTIVE (created or recovered), STALE (missed its server keep-alive), RESET, CLOSED. */
    enum ChannelState {
        ACTIVE, STALE, RESET, CLOSED
    }

    record ChannelStateChanged(String deviceId, String channelId, ChannelState state, String reason, long atMillis)
            implements AppEvent {
        @Override
        public String key() {
            return "c|" + deviceId + "|" + channelId + "|" + state + "|" + atMillis;
        }
    }
}
