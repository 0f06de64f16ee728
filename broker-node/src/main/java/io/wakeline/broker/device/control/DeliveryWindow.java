package io.wakeline.broker.device.control;

import io.wakeline.broker.device.link.DeliveryMode;
import io.wakeline.broker.device.policy.DevicePolicyEvent;
import io.wakeline.broker.device.policy.WakeDecision;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What went out on the device's current link: per channel the highest sequence sent (a new link starts from the
 * acked one, so everything unacked goes again, in order), and when each message first went out (its status says
 * DELIVERED meanwhile; deliveries are not journaled). Per entity, in memory, one thread.
 */
public final class DeliveryWindow {
    /** By outbox key. */
    private final Map<String, Long> sentUpTo = new HashMap<>();
    /** By message id. */
    private final Map<String, Long> deliveredAt = new HashMap<>();

    /**
     * One round of deliveries: the messages in order, how each app gets them, and the starts of the background tasks
     * that take them (journaled before the messages go out, once per app and round).
     */
    public record Round(List<ControlMessage> messages, Map<String, DeliveryMode> modeByApp,
                        List<DevicePolicyEvent> taskStarts) {
        public DeliveryMode modeOf(String appId) {
            return modeByApp.getOrDefault(appId, DeliveryMode.ForegroundEvent);
        }
    }

    /**
     * What the window, the channels' slots and the device's power allow now (wns-spec 7.9, seed 000): {@code wake}
     * answers per (app, channel) whether its messages may go and how; deferred and refused channels wait.
     */
    public Round next(ControlOutbox outbox, Map<String, Long> unjournaledAcks, int window, long nowMillis,
                      BiFunction<String, String, WakeDecision> wake) {
        List<DevicePolicyEvent> starts = new ArrayList<>();
        Map<String, DeliveryMode> modeByApp = new HashMap<>();
        List<ControlMessage> messages = outbox.nextToDeliver(sentUpTo, unjournaledAcks, window, nowMillis, queue -> {
            WakeDecision decision = wake.apply(queue.appId(), queue.channelId());
            if (decision instanceof WakeDecision.DeliverToForegroundApp) {
                modeByApp.putIfAbsent(queue.appId(), DeliveryMode.ForegroundEvent);
                return true;
            }
            if (decision instanceof WakeDecision.StartBackgroundTask start) {
                if (modeByApp.putIfAbsent(queue.appId(), DeliveryMode.BackgroundTask) == null) {
                    starts.addAll(start.events());
                }
                return true;
            }
            return false; // deferred (power, slot, running task, quota) or refused (no such channel now)
        });
        for (ControlMessage m : messages) {
            sentUpTo.merge(ControlOutbox.key(m.appId(), m.channelId()), m.seq(), Math::max);
            deliveredAt.putIfAbsent(m.messageId(), nowMillis);
        }
        return new Round(messages, modeByApp, starts);
    }

    /** Another link (or none): nothing counts as sent on it yet. */
    public void newLink() {
        sentUpTo.clear();
    }

    /** The fate as the status endpoint shows it: an accepted message that went out is DELIVERED. */
    public MessageFate shown(MessageFate fate) {
        Long sentAt = deliveredAt.get(fate.messageId());
        if (fate.state() == MessageFate.State.ACCEPTED && sentAt != null) {
            return new MessageFate(fate.messageId(), fate.clientMessageId(), fate.seq(), MessageFate.State.DELIVERED,
                    fate.acceptedAtMillis(), sentAt, 0, fate.expiresAtMillis(), 0);
        }
        return fate;
    }

    /** Forgets the delivery times of messages no longer pending in the channels of {@code keys}. */
    public void forgetFinished(ControlOutbox outbox, Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        deliveredAt.keySet().removeIf(id -> keys.stream().noneMatch(key -> isPending(outbox.queues().get(key), id)));
    }

    /** Forgets the delivery times of messages no longer pending anywhere. */
    public void forgetFinished(ControlOutbox outbox) {
        forgetFinished(outbox, outbox.queues().keySet());
    }

    private static boolean isPending(ControlQueue queue, String messageId) {
        return queue != null && queue.pending().stream().anyMatch(m -> m.messageId().equals(messageId));
    }
}
