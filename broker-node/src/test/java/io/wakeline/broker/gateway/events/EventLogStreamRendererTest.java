package io.wakeline.broker.gateway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Sequence;
import akka.util.ByteString;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.app.events.AppEventLog;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** How journal entries of an app's log become stream events: ids, resuming inside an entry, old rows, the horizon. */
class EventLogStreamRendererTest {

    private static AppEvent receipt(String messageId) {
        return new AppEvent.MessageReceipt("d-1", "c-1", messageId, AppEvent.MessageFate.ACCEPTED, "", 1L);
    }

    private static EventEnvelope envelope(long sequenceNr, Object entry) {
        return new EventEnvelope(Sequence.apply(sequenceNr), "AppEvents|app", sequenceNr, entry, 0L, scala.Option.empty());
    }

    /** "id type" per rendered frame. */
    private static List<String> render(long afterEventId, EventEnvelope... envelopes) {
        EventLogStream.Renderer renderer = new EventLogStream.Renderer(afterEventId);
        List<String> out = new ArrayList<>();
        for (EventEnvelope e : envelopes) {
            StreamSupport.stream(renderer.apply(e).spliterator(), false).map(ByteString::utf8String)
                    .map(frame -> frame.replaceAll("(?s)id: (\\d+)\nevent: ([a-z-]+)\n.*", "$1 $2"))
                    .forEach(out::add);
        }
        return out;
    }

    @Test
    void eachEventOfAnEntryGetsTheEntrysNumberTimesAThousandPlusItsIndex() {
        assertEquals(List.of("1000 receipt", "1001 receipt", "2000 receipt"), render(0,
                envelope(1, new AppEventLog.Events(List.of(receipt("a"), receipt("b")))),
                envelope(2, new AppEventLog.Events(List.of(receipt("c"))))));
        assertEquals(1, EventLogStream.Renderer.fromEntry(0), "from the start: the first entry");
    }

    @Test
    void resumingInsideAnEntryGivesExactlyTheRestOfIt() {
        assertEquals(7, EventLogStream.Renderer.fromEntry(7001), "the entry of the last event seen is read again");
        assertEquals(List.of("7002 receipt", "8000 receipt"), render(7001,
                envelope(7, new AppEventLog.Events(List.of(receipt("a"), receipt("b"), receipt("c")))),
                envelope(8, new AppEventLog.Events(List.of(receipt("d"))))));
        assertEquals(List.of("8000 receipt"), render(7002,
                envelope(7, new AppEventLog.Events(List.of(receipt("a"), receipt("b"), receipt("c")))),
                envelope(8, new AppEventLog.Events(List.of(receipt("d"))))), "an entry read to its end yields nothing");
    }

    @Test
    void aRowHoldingOneEventAsLogsWroteItBeforeEntriesIsEventZeroOfItsEntry() {
        assertEquals(List.of("3000 receipt", "4000 receipt", "4001 receipt"), render(2000,
                envelope(2, receipt("seen")), envelope(3, receipt("old")), envelope(4, new AppEventLog.Events(List.of(receipt("x"), receipt("y"))))));
    }

    @Test
    void whenTheEntryAskedForIsGoneAHorizonEventComesFirst() {
        List<String> frames = render(5001, envelope(9, new AppEventLog.Events(List.of(receipt("a")))));
        assertEquals(List.of("5001 horizon", "9000 receipt"), frames);
        String horizon = new EventLogStream.Renderer(5001).apply(envelope(9, new AppEventLog.Events(List.of(receipt("a")))))
                .iterator().next().utf8String();
        assertEquals("id: 5001\nevent: horizon\ndata: {\"requestedAfter\":5001,\"firstAvailable\":9000}\n\n", horizon);
        assertEquals(List.of("5002 receipt"), render(5001, envelope(5, new AppEventLog.Events(List.of(receipt("a"),
                receipt("b"), receipt("c"))))), "the entry asked for is there: no horizon");
    }
}
