package io.wakeline.broker.metrics;

import java.util.List;

/**
 * What only a device entity can tell its node about its control backlog: the messages it holds not yet acked,
 * expired or rejected, when it starts (recovery after its shard arrived on this node, or after passivation). The
 * receipts flowing through the app event publisher cover everything accepted while the entity runs here; this
 * covers what was accepted before. Plain Java, no Akka: the entity calls it from its recovery-completed signal.
 * Implementations are thread-safe and do not block.
 */
public interface ControlBacklogObserver {

    /** One message the entity still holds; {@code deliveredAtMillis} 0 when not delivered since it started. */
    record Outstanding(String appId, String channelId, String messageId, long acceptedAtMillis, long deliveredAtMillis) {
    }

    /** Replaces what the node tracked for {@code deviceId} with {@code outstanding} (empty: nothing waits). */
    void recovered(String deviceId, List<Outstanding> outstanding);
}
