package io.wakeline.broker.device.control;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code wakeline.control-channels.*} (reference.conf): the guaranteed path's bounds.
 *
 * @param keepAliveUnit          what one "minute" of a channel's server keep-alive interval lasts (tests shrink it)
 * @param window                 unacked control messages in flight per device
 * @param backlogPerChannel      messages a channel holds (accepted, not yet acked or expired); a send beyond is refused
 * @param defaultTtl             TTL of a message sent without {@code X-Wakeline-TTL}
 * @param maxTtl                 longest TTL accepted
 * @param maxPayloadBytes        largest message body
 * @param ackBatchSize           device acks persisted together at most this many at a time
 * @param ackBatchInterval       device acks wait at most this long before they are persisted
 * @param tickInterval           how often TTLs and keep-alives are checked while the device has control traffic
 * @param fateRetention          how long the fate of an acked or expired message stays queryable
 * @param fateRetentionPerChannel finished fates kept per channel at most
 * @param maxPendingReceipts     receipts kept for an event log that does not take them; beyond, the oldest are dropped
 */
public record ControlChannelSettings(
        Duration keepAliveUnit,
        int window,
        int backlogPerChannel,
        Duration defaultTtl,
        Duration maxTtl,
        int maxPayloadBytes,
        int ackBatchSize,
        Duration ackBatchInterval,
        Duration tickInterval,
        Duration fateRetention,
        int fateRetentionPerChannel,
        int maxPendingReceipts) {

    public static final ControlChannelSettings DEFAULTS = new ControlChannelSettings(Duration.ofMinutes(1), 64, 1000,
            Duration.ofDays(1), Duration.ofDays(30), 4096, 32, Duration.ofMillis(200), Duration.ofSeconds(1),
            Duration.ofHours(1), 1000, 10_000);

    public ControlChannelSettings {
        if (window < 1 || backlogPerChannel < 1 || ackBatchSize < 1 || maxPayloadBytes < 1 || fateRetentionPerChannel < 0
                || maxPendingReceipts < 1) {
            throw new IllegalArgumentException("control-channels: window, backlog, ack batch, payload and receipts must be positive");
        }
    }

    public static ControlChannelSettings fromConfig(Config c) {
        return new ControlChannelSettings(
                c.getDuration("keep-alive-unit"),
                c.getInt("window"),
                c.getInt("backlog-per-channel"),
                c.getDuration("default-ttl"),
                c.getDuration("max-ttl"),
                c.getInt("max-payload-bytes"),
                c.getInt("ack-batch-size"),
                c.getDuration("ack-batch-interval"),
                c.getDuration("tick-interval"),
                c.getDuration("fate-retention"),
                c.getInt("fate-retention-per-channel"),
                c.getInt("max-pending-receipts"));
    }

    public ControlChannelSettings withKeepAliveUnit(Duration unit) {
        return new ControlChannelSettings(unit, window, backlogPerChannel, defaultTtl, maxTtl, maxPayloadBytes,
                ackBatchSize, ackBatchInterval, tickInterval, fateRetention, fateRetentionPerChannel, maxPendingReceipts);
    }

    public ControlChannelSettings withWindow(int newWindow) {
        return new ControlChannelSettings(keepAliveUnit, newWindow, backlogPerChannel, defaultTtl, maxTtl, maxPayloadBytes,
                ackBatchSize, ackBatchInterval, tickInterval, fateRetention, fateRetentionPerChannel, maxPendingReceipts);
    }

    public ControlChannelSettings withBacklog(int backlog) {
        return new ControlChannelSettings(keepAliveUnit, window, backlog, defaultTtl, maxTtl, maxPayloadBytes,
                ackBatchSize, ackBatchInterval, tickInterval, fateRetention, fateRetentionPerChannel, maxPendingReceipts);
    }

    public ControlChannelSettings withTickInterval(Duration tick) {
        return new ControlChannelSettings(keepAliveUnit, window, backlogPerChannel, defaultTtl, maxTtl, maxPayloadBytes,
                ackBatchSize, ackBatchInterval, tick, fateRetention, fateRetentionPerChannel, maxPendingReceipts);
    }

    public ControlChannelSettings withAckBatch(int size, Duration interval) {
        return new ControlChannelSettings(keepAliveUnit, window, backlogPerChannel, defaultTtl, maxTtl, maxPayloadBytes,
                size, interval, tickInterval, fateRetention, fateRetentionPerChannel, maxPendingReceipts);
    }
}
