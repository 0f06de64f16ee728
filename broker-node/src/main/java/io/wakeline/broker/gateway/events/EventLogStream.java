package io.wakeline.broker.gateway.events;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.headers.CacheControl;
import akka.http.javadsl.model.headers.CacheDirectives;
import akka.http.javadsl.model.headers.RawHeader;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.javadsl.EventsByPersistenceIdQuery;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.app.events.AppEventLog;
import io.wakeline.broker.app.events.AppEventsSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@link AppEventLog} as a resumable Server-Sent Events response: each event's {@code id} is its sequence
 * number in the log, so a reconnect with {@code Last-Event-ID} continues right after it. Recorded events are
 * replayed, then the read journal is polled for new ones ({@code jdbc-read-journal.refresh-interval}); idle
 * streams get comment lines every {@code stream.heartbeat}. Serves {@code GET /events} (an app's log) and
 * {@code GET /wp/r/…} (a Web Push receipt subscription's log).
 */
public final class EventLogStream {
    private final ActorSystem<?> system;
    private final AppEventsSettings settings;
    /** Looked up on the first stream: gateways on the in-memory journal (tests) never touch the JDBC one. */
    private volatile EventsByPersistenceIdQuery journal;

    public EventLogStream(ActorSystem<?> system, AppEventsSettings settings) {
        this.system = system;
        this.settings = settings;
    }

    /** {@code 200 text/event-stream} with log {@code logId}'s events after {@code afterSequenceNr}; stays open. */
    public HttpResponse response(String logId, long afterSequenceNr, Runnable whenEnded) {
        return HttpResponse.create()
                .addHeaders(List.of(CacheControl.create(CacheDirectives.NO_CACHE), RawHeader.create("X-Accel-Buffering", "no")))
                .withEntity(HttpEntities.create(MediaTypes.TEXT_EVENT_STREAM.toContentType(),
                        frames(logId, afterSequenceNr, whenEnded)));
    }

    private Source<ByteString, NotUsed> frames(String logId, long afterSequenceNr, Runnable whenEnded) {
        String persistenceId = AppEventLog.persistenceIdOf(logId).id();
        long from = afterSequenceNr + 1;
        return journal().eventsByPersistenceId(persistenceId, from, Long.MAX_VALUE)
                .statefulMapConcat(() -> new HorizonCheck(from))
                .keepAlive(settings.heartbeat(), SseFrames::heartbeat)
                .watchTermination((notUsed, done) -> {
                    done.whenComplete((d, failure) -> whenEnded.run());
                    return NotUsed.getInstance();
                });
    }

    /**
     * Renders envelopes; when the first one is past the requested position (older events were deleted by
     * retention) it is preceded by a {@code horizon} event, so the reader knows it missed some.
     */
    private static final class HorizonCheck implements akka.japi.function.Function<EventEnvelope, Iterable<ByteString>> {
        private final long from;
        private boolean first = true;

        HorizonCheck(long from) {
            this.from = from;
        }

        @Override
        public Iterable<ByteString> apply(EventEnvelope envelope) {
            List<ByteString> out = new ArrayList<>(2);
            if (first && envelope.sequenceNr() > from) {
                out.add(SseFrames.event(from - 1, "horizon", "{\"requestedAfter\":" + (from - 1)
                        + ",\"firstAvailable\":" + envelope.sequenceNr() + "}"));
            }
            first = false;
            if (envelope.event() instanceof AppEvent event) {
                out.add(SseFrames.event(envelope.sequenceNr(), AppEventJson.eventType(event), AppEventJson.data(event)));
            }
            return out;
        }
    }

    private EventsByPersistenceIdQuery journal() {
        EventsByPersistenceIdQuery current = journal;
        if (current == null) {
            current = PersistenceQuery.get(Adapter.toClassic(system))
                    .getReadJournalFor(EventsByPersistenceIdQuery.class, settings.readJournal());
            journal = current;
        }
        return current;
    }
}
