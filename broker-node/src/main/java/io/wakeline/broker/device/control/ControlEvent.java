package io.wakeline.broker.device.control;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.wakeline.broker.CborSerializable;
import java.util.List;

/**
 * Every change of a device's control-channel outbox (DESIGN.md "The two paths": control channel). The device
 * entity persists exactly these and replays them through {@link ControlOutbox#apply}; each carries its own time,
 * so applying never reads a clock.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
@JsonSubTypes({
    @JsonSubTypes.Type(value = ControlEvent.MessageEnqueued.class, name = "enqueued"),
    @JsonSubTypes.Type(value = ControlEvent.MessagesAcked.class, name = "acked"),
    @JsonSubTypes.Type(value = ControlEvent.MessagesExpired.class, name = "expired"),
    @JsonSubTypes.Type(value = ControlEvent.ChannelClosed.class, name = "channel-closed"),
    @JsonSubTypes.Type(value = ControlEvent.ChannelReopened.class, name = "channel-reopened"),
    @JsonSubTypes.Type(value = ControlEvent.ReceiptsPublished.class, name = "receipts-published")
})
public sealed interface ControlEvent extends CborSerializable {

    /** An app server's message was accepted: journaled before the 2xx. {@code clientMessageId} is "" when none. */
    record MessageEnqueued(String appId, String channelId, String messageId, String clientMessageId, byte[] payload,
                           long seq, long acceptedAtMillis, long expiresAtMillis) implements ControlEvent {
    }

    /** The device acked everything up to {@code upToSeq} on the channel (cumulative; persisted in batches). */
    record MessagesAcked(String appId, String channelId, long upToSeq, long atMillis) implements ControlEvent {
    }

    /** These messages reached their TTL unacked: never delivered again, reported expired. */
    record MessagesExpired(String appId, String channelId, List<Long> seqs, long atMillis) implements ControlEvent {
        public MessagesExpired {
            seqs = List.copyOf(seqs);
        }
    }

    /**
     * The device app closed the channel with these messages unacked: never delivered, reported rejected; sends are
     * refused until {@link ChannelReopened}.
     */
    record ChannelClosed(String appId, String channelId, List<Long> seqs, long atMillis) implements ControlEvent {
        public ChannelClosed {
            seqs = List.copyOf(seqs);
        }
    }

    /** The device app created the closed channel again: sends are accepted again (its sequence continues). */
    record ChannelReopened(String appId, String channelId) implements ControlEvent {
    }

    /** The app event log recorded every receipt numbered up to {@code upToReceiptNo}. */
    record ReceiptsPublished(long upToReceiptNo) implements ControlEvent {
        @JsonCreator
        public ReceiptsPublished {
        }
    }
}
