package io.wakeline.broker.gateway.events;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.path;
import static akka.http.javadsl.server.Directives.respondWithHeaders;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.CacheControl;
import akka.http.javadsl.model.headers.CacheDirectives;
import akka.http.javadsl.model.headers.HttpChallenge;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.model.headers.WWWAuthenticate;
import akka.http.javadsl.server.Route;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.javadsl.EventsByPersistenceIdQuery;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.app.events.AppEventLog;
import io.wakeline.broker.app.events.AppEventsSettings;
import io.wakeline.broker.gateway.app.AccessTokenSealer;
import io.wakeline.broker.gateway.events.EventStreamRequestRules.Decision;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /events}: an app's event log as Server-Sent Events (docs/app-server-api.md "Event stream").
 * Each event's {@code id} is its sequence number in the app's {@link AppEventLog}; a reconnect with
 * {@code Last-Event-ID} (or {@code ?after=}) continues right after it. Recorded events are replayed, then
 * the read journal is polled for new ones ({@code jdbc-read-journal.refresh-interval}); idle streams get
 * comment lines every {@code stream.heartbeat}.
 */
public final class AppEventStreamRoute {
    private static final Logger log = LoggerFactory.getLogger(AppEventStreamRoute.class);
    private static final String BEARER_REALM = "wakeline-events";

    private final ActorSystem<?> system;
    private final AppEventsSettings settings;
    private final EventStreamRequestRules rules;
    private final StreamSlots slots;
    private final Clock clock;
    /** Looked up on the first stream: gateways on the in-memory journal (tests) never touch the JDBC one. */
    private volatile EventsByPersistenceIdQuery journal;

    public AppEventStreamRoute(ActorSystem<?> system, AppEventsSettings settings, AccessTokenSealer accessTokens,
                               Clock clock) {
        this.system = system;
        this.settings = settings;
        this.rules = new EventStreamRequestRules(accessTokens);
        this.slots = new StreamSlots(settings.maxStreamsPerApp());
        this.clock = clock;
    }

    public Route route() {
        return path("events", () -> get(() -> extractRequest(this::handle)));
    }

    private Route handle(HttpRequest request) {
        Decision decision = rules.check(headOf(request), clock.millis());
        if (decision instanceof Decision.Rejected rejected) {
            log.debug("Event stream refused status={} reason={}", rejected.kind().httpStatus(), rejected.description());
            HttpResponse response = HttpResponse.create().withStatus(rejected.kind().httpStatus())
                    .withEntity(rejected.description());
            if (rejected.kind() == Decision.Kind.UNAUTHORIZED) {
                response = response.addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", BEARER_REALM)));
            }
            return complete(response);
        }
        Decision.Open open = (Decision.Open) decision;
        if (!slots.tryAcquire(open.appId())) {
            log.info("Event stream refused, too many streams appId={} open={}", open.appId(), slots.open(open.appId()));
            return complete(HttpResponse.create().withStatus(StatusCodes.TOO_MANY_REQUESTS)
                    .addHeader(RetryAfter.create(settings.heartbeat().toSeconds()))
                    .withEntity("At most " + settings.maxStreamsPerApp() + " event streams per app"));
        }
        log.debug("Event stream opened appId={} after={}", open.appId(), open.afterSequenceNr());
        return respondWithHeaders(List.of(CacheControl.create(CacheDirectives.NO_CACHE),
                        RawHeader.create("X-Accel-Buffering", "no")),
                () -> complete(HttpResponse.create().withEntity(
                        HttpEntities.create(MediaTypes.TEXT_EVENT_STREAM.toContentType(), stream(open)))));
    }

    private Source<ByteString, NotUsed> stream(Decision.Open open) {
        String persistenceId = AppEventLog.persistenceIdOf(open.appId()).id();
        long from = open.afterSequenceNr() + 1;
        return journal().eventsByPersistenceId(persistenceId, from, Long.MAX_VALUE)
                .statefulMapConcat(() -> new HorizonCheck(from))
                .keepAlive(settings.heartbeat(), SseFrames::heartbeat)
                .watchTermination((notUsed, done) -> {
                    done.whenComplete((d, failure) -> {
                        slots.release(open.appId());
                        if (failure != null) {
                            log.info("Event stream failed appId={} reason={}", open.appId(), failure.toString());
                        }
                    });
                    return NotUsed.getInstance();
                });
    }

    /**
     * Renders envelopes; when the first one is past the requested position (older events were deleted by
     * retention) it is preceded by a {@code horizon} event, so the app knows it missed some.
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

    private static EventStreamRequestRules.Head headOf(HttpRequest request) {
        List<String> authorization = new ArrayList<>(1);
        List<String> lastEventId = new ArrayList<>(1);
        for (HttpHeader header : request.getHeaders()) {
            if (header.is("authorization")) {
                authorization.add(header.value());
            } else if (header.is("last-event-id")) {
                lastEventId.add(header.value());
            }
        }
        return new EventStreamRequestRules.Head(authorization, lastEventId, request.getUri().query().get("after"));
    }
}
