package io.wakeline.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The tally follows each message to its final fate and then lets it go, so its memory follows what is in flight. */
class ControlTallyTest {
    private final ControlTally tally = new ControlTally();

    @Test
    void aMessageIsForgottenAtItsFinalFateAndLateReceiptsAreIgnoredNotUnmatched() {
        tally.sent("c1", 0, true);
        tally.answered("c1", 201, "b1", 1_000_000);
        tally.receipt("b1", ControlTally.Fate.ACCEPTED, 1_000_000);
        tally.receipt("b1", ControlTally.Fate.DELIVERED, 2_000_000);
        assertEquals(1, tally.open());
        tally.receipt("b1", ControlTally.Fate.ACKED, 3_000_000);
        assertEquals(0, tally.open(), "acked: nothing more to learn");

        tally.receipt("b1", ControlTally.Fate.ACKED, 4_000_000); // a receipt published again
        tally.receipt("c1", ControlTally.Fate.DELIVERED, 4_000_000);
        ControlTally.Totals totals = tally.totals();
        assertEquals(1, totals.acked());
        assertEquals(1, totals.delivered());
        assertEquals(0, totals.unmatchedReceipts());
        assertEquals(0, totals.stashedUnmatched(), "a late receipt is not waiting for a send that will never come");
        assertEquals(3.0, totals.ack().p50Ms(), 0.01, "ack latency from the due time");
        assertEquals(1, totals.ack().count(), "the repeated ACKED is not a second ack");
    }

    @Test
    void refusedAndWarmUpMessagesAreForgottenToo() {
        tally.sent("refused", 0, true);
        tally.answered("refused", 429, null, 1_000);
        tally.sent("warm", 0, false);
        tally.answered("warm", 201, "b-warm", 1_000);
        tally.receipt("b-warm", ControlTally.Fate.EXPIRED, 2_000);
        assertEquals(0, tally.open());
        ControlTally.Totals totals = tally.totals();
        assertEquals(1, totals.sent(), "warm-up sends are not counted");
        assertEquals(0, totals.accepted());
        assertEquals(0, totals.expired());
        assertEquals(1L, totals.byHttpStatus().get(429));
    }

    @Test
    void receiptsBeforeTheAnswerStillCountAndFinishTheMessage() {
        tally.sent("c2", 0, true);
        tally.receipt("b2", ControlTally.Fate.ACCEPTED, 500);
        tally.receipt("b2", ControlTally.Fate.DELIVERED, 600);
        tally.receipt("b2", ControlTally.Fate.ACKED, 700);
        assertEquals(1, tally.open(), "waits for the answer that names its broker id");
        tally.answered("c2", 201, "b2", 800);
        assertEquals(0, tally.open());
        ControlTally.Totals totals = tally.totals();
        assertEquals(1, totals.acked());
        assertEquals(0, totals.stashedUnmatched());
        assertEquals(true, tally.allSettled());
    }
}
