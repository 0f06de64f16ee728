package io.wakeline.broker.device.control;

import static io.wakeline.broker.device.control.Outboxes.APP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wakeline.broker.device.link.DeliveryMode;
import io.wakeline.broker.device.policy.DevicePolicyEvent;
import io.wakeline.broker.device.policy.TriggerKind;
import io.wakeline.broker.device.policy.WakeDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryWindowTest {
    private static final WakeDecision FOREGROUND = new WakeDecision.DeliverToForegroundApp();
    private final DeliveryWindow window = new DeliveryWindow();

    private static List<Long> seqs(DeliveryWindow.Round round) {
        return round.messages().stream().map(ControlMessage::seq).toList();
    }

    @Test
    void aRoundSendsWhatTheWindowAllowsAndTheNextOneContinuesAfterIt() {
        ControlOutbox outbox = Outboxes.withMessages("a", 5);
        assertEquals(List.of(1L, 2L, 3L), seqs(window.next(outbox, Map.of(), 3, 0, (app, channel) -> FOREGROUND)));
        assertEquals(List.of(), seqs(window.next(outbox, Map.of(), 3, 0, (app, channel) -> FOREGROUND)), "window full");
        assertEquals(List.of(4L, 5L), seqs(window.next(outbox, Map.of(ControlOutbox.key(APP, "a"), 2L), 3, 0,
                (app, channel) -> FOREGROUND)), "acks (journaled or not) free places");
    }

    @Test
    void aNewLinkGetsEverythingUnackedAgain() {
        ControlOutbox outbox = Outboxes.withMessages("a", 2);
        window.next(outbox, Map.of(), 10, 0, (app, channel) -> FOREGROUND);
        window.newLink();
        assertEquals(List.of(1L, 2L), seqs(window.next(outbox, Map.of(), 10, 0, (app, channel) -> FOREGROUND)));
    }

    @Test
    void aDeferredChannelWaitsAndABackgroundTaskStartsOncePerAppAndRound() {
        ControlOutbox outbox = Outboxes.withMessages("held", 1);
        outbox = Outboxes.withMessage(outbox, "woken", "w1", 0, Outboxes.NEVER);
        outbox = Outboxes.withMessage(outbox, "woken", "w2", 0, Outboxes.NEVER);
        DevicePolicyEvent start = new DevicePolicyEvent.BackgroundTaskStarted(APP, TriggerKind.ControlChannelTrigger, 0);
        DeliveryWindow.Round round = window.next(outbox, Map.of(), 10, 0, (app, channel) -> channel.equals("held")
                ? new WakeDecision.Defer(WakeDecision.DeferReason.SoftwareSlotInConnectedStandby)
                : new WakeDecision.StartBackgroundTask(List.of(start)));
        assertEquals(List.of("woken", "woken"), round.messages().stream().map(ControlMessage::channelId).toList());
        assertEquals(List.of(start), round.taskStarts(), "one task takes the round's messages");
        assertEquals(DeliveryMode.BackgroundTask, round.modeOf(APP));
    }

    @Test
    void anAcceptedMessageThatWentOutShowsAsDeliveredUntilItFinishes() {
        ControlOutbox outbox = Outboxes.withMessages("a", 1);
        MessageFate accepted = outbox.fate(APP, "a", "a-m1").orElseThrow();
        assertEquals(MessageFate.State.ACCEPTED, window.shown(accepted).state());
        window.next(outbox, Map.of(), 10, 42, (app, channel) -> FOREGROUND);
        MessageFate shown = window.shown(accepted);
        assertEquals(MessageFate.State.DELIVERED, shown.state());
        assertEquals(42, shown.deliveredAtMillis());

        ControlOutbox acked = outbox.apply(outbox.ack(APP, "a", 1, 50).orElseThrow(), Outboxes.RETENTION);
        window.forgetFinished(acked);
        assertEquals(MessageFate.State.ACCEPTED, window.shown(accepted).state(), "its delivery time is forgotten");
    }
}
