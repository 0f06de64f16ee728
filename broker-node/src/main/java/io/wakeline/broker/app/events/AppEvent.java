package io.wakeline.broker.app.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

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
    @JsonSubTypes.Type(value = AppEvent.ChannelStateChanged.class, name = "channel-state"),
    @JsonSubTypes.Type(value = AppEvent.WebPushReceipt.class, name = "webpush-receipt")
})
public sealed interface AppEvent extends AppEventLog.Entry {

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

    /**
     * A Web Push push receipt (RFC 8030 §5.1, §6.2, §6.3), recorded in the log of its receipt subscription
     * ({@link #logOf}): the message resource it names, and what became of the message. {@code channelId} is the
     * push subscription.
     */
    record WebPushReceipt(String deviceId, String channelId, String messageId, String messageResource,
                          WebPushReceiptFate fate, long atMillis) implements AppEvent {

        /** The event log (entity id) of a receipt subscription; package SIDs never start like this. */
        public static String logOf(String receiptSubscriptionId) {
            return "webpush-receipts:" + receiptSubscriptionId;
        }

        @Override
        public String key() {
            return "w|" + deviceId + "|" + channelId + "|" + messageId;
        }
    }

    /**
     * What became of a Web Push message whose sender asked for a receipt, with the status RFC 8030 gives it:
     * 204 (delivered and acknowledged, §6.2) or 410 (the push service gave up on it, §6.2, §7.2).
     */
    enum WebPushReceiptFate {
        /** The user agent acknowledged the message. */
        ACKNOWLEDGED(204),
        /** Its TTL ended before the user agent acknowledged it. */
        EXPIRED(410),
        /** The application server deleted it (DELETE on the message resource) before delivery. */
        DELETED(410),
        /** TTL 0 and the device could not take it at once (§5.2), or the device's store was full. */
        NOT_DELIVERED(410),
        /** The device app dropped the subscription before the message was acknowledged. */
        UNSUBSCRIBED(410);

        private final int httpStatus;

        WebPushReceiptFate(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    record ChannelStateChanged(String deviceId, String channelId, ChannelState state, String reason, long atMillis)
            implements AppEvent {
        @Override
        public String key() {
            return "c|" + deviceId + "|" + channelId + "|" + state + "|" + atMillis;
        }
    }
}
