package io.wakeline.broker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.app.events.AppEvent.MessageFate;
import io.wakeline.broker.app.events.AppEvent.MessageReceipt;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiptLedgerTest {
    private static final String APP = "ms-app://S-1-15-2-1";

    private static MessageReceipt receipt(String device, String messageId, MessageFate fate, long at) {
        return new MessageReceipt(device, "chat", messageId, fate, "", at);
    }

    @Test
    void acceptDeliverAckYieldsTheThreeLatenciesAndClearsTheBacklog() {
        ReceiptLedger ledger = new ReceiptLedger(100, 100, 10);
        assertEquals(-1, ledger.record(APP, receipt("d1", "m1", MessageFate.ACCEPTED, 1_000)).acceptToDeliverMillis());
        assertEquals(1, ledger.largestBacklogs(5).get(0).messages());

        assertEquals(40, ledger.record(APP, receipt("d1", "m1", MessageFate.DELIVERED, 1_040)).acceptToDeliverMillis());
        ReceiptLedger.Timing acked = ledger.record(APP, receipt("d1", "m1", MessageFate.ACKED, 1_100));
        assertEquals(100, acked.acceptToAckMillis());
        assertEquals(60, acked.deliverToAckMillis());
        assertTrue(ledger.largestBacklogs(5).isEmpty());
        assertEquals(0, ledger.inFlight());
    }

    @Test
    void aRepublishedAcceptedAndARedeliveryCountOnce() {
        ReceiptLedger ledger = new ReceiptLedger(100, 100, 10);
        ledger.record(APP, receipt("d1", "m1", MessageFate.ACCEPTED, 1_000));
        ledger.record(APP, receipt("d1", "m1", MessageFate.ACCEPTED, 1_000));
        assertEquals(1, ledger.largestBacklogs(5).get(0).messages());
        ledger.record(APP, receipt("d1", "m1", MessageFate.DELIVERED, 1_010));
        ReceiptLedger.Timing again = ledger.record(APP, receipt("d1", "m1", MessageFate.DELIVERED, 5_000));
        assertEquals(-1, again.acceptToDeliverMillis(), "a redelivery after a reconnect is not a first delivery");
        assertTrue(again.redelivery());
        assertEquals(4_000, ledger.record(APP, receipt("d1", "m1", MessageFate.ACKED, 5_010)).deliverToAckMillis(),
                "measured from the first delivery");
    }

    @Test
    void aFinalFateWithoutAnAcceptedSeenHereIsIgnored() {
        ReceiptLedger ledger = new ReceiptLedger(100, 100, 10);
        ReceiptLedger.Timing timing = ledger.record(APP, receipt("d1", "m9", MessageFate.ACKED, 2_000));
        assertEquals(-1, timing.acceptToAckMillis());
        assertTrue(ledger.largestBacklogs(5).isEmpty());
        assertEquals("d1", ledger.locate("m9").orElseThrow().deviceId(), "still locatable by id");
    }

    @Test
    void theBoardRanksDevicesByMessagesInFlightAndExpiredOrRejectedOnesLeaveIt() {
        ReceiptLedger ledger = new ReceiptLedger(100, 100, 10);
        for (int i = 0; i < 3; i++) {
            ledger.record(APP, receipt("busy", "b" + i, MessageFate.ACCEPTED, 1_000 + i));
        }
        ledger.record(APP, receipt("quiet", "q0", MessageFate.ACCEPTED, 500));
        ledger.record(APP, receipt("gone", "g0", MessageFate.ACCEPTED, 600));
        ledger.record(APP, receipt("gone", "g0", MessageFate.REJECTED, 700));
        ledger.record(APP, receipt("busy", "b0", MessageFate.EXPIRED, 2_000));

        List<ReceiptLedger.Backlog> board = ledger.largestBacklogs(5);
        assertEquals(List.of(new ReceiptLedger.Backlog("busy", 2, 1_001), new ReceiptLedger.Backlog("quiet", 1, 500)), board);
        assertEquals(1, ledger.largestBacklogs(1).size());
    }

    @Test
    void theTablesAreBoundedAndTheOldestInFlightIsForgottenFirst() {
        ReceiptLedger ledger = new ReceiptLedger(2, 2, 1);
        ledger.record(APP, receipt("d1", "m1", MessageFate.ACCEPTED, 1));
        ledger.record(APP, receipt("d2", "m2", MessageFate.ACCEPTED, 2));
        ledger.record("ms-app://S-1-15-2-2", receipt("d3", "m3", MessageFate.ACCEPTED, 3));
        assertEquals(2, ledger.inFlight());
        assertEquals(1, ledger.forgotten());
        assertTrue(ledger.largestBacklogs(5).stream().noneMatch(b -> b.deviceId().equals("d1")));
        assertTrue(ledger.locate("m1").isEmpty(), "recent ids bounded too");
        assertEquals(List.of(new ReceiptLedger.AppCounts(APP, 2, 0, 0, 0, 0),
                new ReceiptLedger.AppCounts(ReceiptLedger.OTHER_APPS, 1, 0, 0, 0, 0)), ledger.appCounts());
    }

    @Test
    void devicesWhoseShardLeftAreDroppedButNotMessagesAcceptedAfterTheRegionWasAsked() {
        ReceiptLedger ledger = new ReceiptLedger(100, 100, 10);
        ledger.record(APP, receipt("moved", "m1", MessageFate.ACCEPTED, 1_000));
        ledger.record(APP, receipt("stays", "m2", MessageFate.ACCEPTED, 1_000));
        ledger.record(APP, receipt("arrived", "m3", MessageFate.ACCEPTED, 3_000));
        assertEquals(1, ledger.retainDevices("stays"::equals, 2_000));
        assertEquals(List.of("arrived", "stays"),
                ledger.largestBacklogs(5).stream().map(ReceiptLedger.Backlog::deviceId).sorted().toList());
    }

    @Test
    void anEntityThatStartsHereReplacesWhatWasTrackedForItsDevice() {
        ReceiptLedger ledger = new ReceiptLedger(100, 100, 10);
        ledger.record(APP, receipt("d1", "stale", MessageFate.ACCEPTED, 1_000));
        ledger.recovered("d1", List.of(
                new ControlBacklogObserver.Outstanding(APP, "chat", "old-1", 100, 0),
                new ControlBacklogObserver.Outstanding(APP, "chat", "old-2", 200, 250)));
        assertEquals(List.of(new ReceiptLedger.Backlog("d1", 2, 100)), ledger.largestBacklogs(5));
        assertEquals("chat", ledger.locate("old-2").orElseThrow().channelId());
        assertEquals(50, ledger.record(APP, receipt("d1", "old-2", MessageFate.ACKED, 300)).deliverToAckMillis());
        ledger.recovered("d1", List.of());
        assertTrue(ledger.largestBacklogs(5).isEmpty());
        assertEquals(List.of(new ReceiptLedger.AppCounts(APP, 1, 0, 1, 0, 0)), ledger.appCounts(), "recovery counts no receipts");
    }
}
