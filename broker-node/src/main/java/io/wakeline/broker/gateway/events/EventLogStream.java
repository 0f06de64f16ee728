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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One {@link AppEventLog} as a resumable Server-Sent Events response: each event's {@code id} is
 * {@link AppEventLog#eventId} (its entry's sequence number and its index in the entry), so a reconnect with
 * {@code Last-Event-ID} continues right after it. Recorded events are
 * replayed, then the read journal is polled for new ones ({@code jdbc-read-journal.refresh-interval}); idle
 * streams get comment lines every {@code stream.heartbeat}. Serves {@code GET /events} (an app's log) and
 * {@code GET /wp/r/…} (a Web Push receipt subscription's log), at most {@code stream.max-streams-per-app} at once
 * per log on this node.
 */
public final class EventLogStream {
    private final ActorSystem<?> system;
    private final AppEventsSettings settings;
    private final StreamSlots slots;
    /** Looked up on the first stream: gateways on the in-memory journal (tests) never touch the JDBC one. */
    private volatile EventsByPersistenceIdQuery journal;

    public EventLogStream(ActorSystem<?> system, AppEventsSettings settings) {
        this.system = system;
        this.settings = settings;
        this.slots = new StreamSlots(settings.maxStreamsPerApp());
    }

    /**
     * {@code 200 text/event-stream} with log {@code logId}'s events after event {@code afterEventId}; stays open. Empty
     * when the log already has its most streams open here: the caller answers 429 with {@link #retryAfter()}.
     */
    public Optional<HttpResponse> open(String logId, long afterEventId) {
        if (!slots.tryAcquire(logId)) {
            return Optional.empty();
        }
        Source<ByteString, NotUsed> frames;
        try {
            frames = frames(logId, afterEventId, () -> slots.release(logId));
        } catch (RuntimeException e) {
            slots.release(logId);
            throw e;
        }
        return Optional.of(HttpResponse.create()
                .addHeaders(List.of(CacheControl.create(CacheDirectives.NO_CACHE), RawHeader.create("X-Accel-Buffering", "no")))
                .withEntity(HttpEntities.create(MediaTypes.TEXT_EVENT_STREAM.toContentType(), frames)));
    }

    /** Streams open on {@code logId} here. */
    public int openStreams(String logId) {
        return slots.open(logId);
    }

    public int maxStreams() {
        return settings.maxStreamsPerApp();
    }

    /** When a refused reader may try again: a heartbeat, the time it takes a proxy to notice a reader gone. */
    public Duration retryAfter() {
        return settings.heartbeat();
    }

    private Source<ByteString, NotUsed> frames(String logId, long afterEventId, Runnable whenEnded) {
        String persistenceId = AppEventLog.persistenceIdOf(logId).id();
        return journal().eventsByPersistenceId(persistenceId, Renderer.fromEntry(afterEventId), Long.MAX_VALUE)
                .statefulMapConcat(() -> new Renderer(afterEventId))
                .keepAlive(settings.heartbeat(), SseFrames::heartbeat)
                .watchTermination((notUsed, done) -> {
                    done.whenComplete((d, failure) -> whenEnded.run());
                    return NotUsed.getInstance();
                });
    }

    /**
     * Renders the events after {@code afterEventId}; when the first entry read is past the one asked for (older entries
     * were deleted by retention) they are preceded by a {@code horizon} event, so the reader knows it may have missed
     * some.
     */
    static final class Renderer implements akka.japi.function.Function<EventEnvelope, Iterable<ByteString>> {
        private final long afterEventId;
        private final long fromEntry;
        private boolean first = true;

        Renderer(long afterEventId) {
            this.afterEventId = afterEventId;
            this.fromEntry = fromEntry(afterEventId);
        }

        /** The entry holding the event after {@code afterEventId}: that event's own entry (the rest of it), or a later one. */
        static long fromEntry(long afterEventId) {
            return Math.max(1, AppEventLog.entryOf(afterEventId));
        }

        @Override
        public Iterable<ByteString> apply(EventEnvelope envelope) {
            List<AppEvent> events = AppEventLog.eventsOf(envelope.event());
            List<ByteString> out = new ArrayList<>(events.size() + 1);
            if (first && envelope.sequenceNr() > fromEntry) {
                out.add(SseFrames.event(afterEventId, "horizon", "{\"requestedAfter\":" + afterEventId
                        + ",\"firstAvailable\":" + AppEventLog.eventId(envelope.sequenceNr(), 0) + "}"));
            }
            first = false;
            for (int i = 0; i < events.size(); i++) {
                long id = AppEventLog.eventId(envelope.sequenceNr(), i);
                if (id > afterEventId) {
                    AppEvent event = events.get(i);
                    out.add(SseFrames.event(id, AppEventJson.eventType(event), AppEventJson.data(event)));
                }
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
