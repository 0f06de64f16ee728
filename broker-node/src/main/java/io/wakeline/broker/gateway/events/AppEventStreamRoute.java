package io.wakeline.broker.gateway.events;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.path;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.HttpChallenge;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.model.headers.WWWAuthenticate;
import akka.http.javadsl.server.Route;
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
 * {@code GET /events}: an app's event log as Server-Sent Events (docs/app-server-api.md "Event stream"), through
 * {@link EventLogStream}: each event's {@code id} is its {@link AppEventLog#eventId} in the app's log; a
 * reconnect with {@code Last-Event-ID} (or {@code ?after=}) continues right after it.
 */
public final class AppEventStreamRoute {
    private static final Logger log = LoggerFactory.getLogger(AppEventStreamRoute.class);
    private static final String BEARER_REALM = "wakeline-events";

    private final AppEventsSettings settings;
    private final EventStreamRequestRules rules;
    private final StreamSlots slots;
    private final Clock clock;
    private final EventLogStream stream;

    public AppEventStreamRoute(ActorSystem<?> system, AppEventsSettings settings, AccessTokenSealer accessTokens,
                               Clock clock) {
        this.settings = settings;
        this.rules = new EventStreamRequestRules(accessTokens);
        this.slots = new StreamSlots(settings.maxStreamsPerApp());
        this.clock = clock;
        this.stream = new EventLogStream(system, settings);
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
        log.debug("Event stream opened appId={} after={}", open.appId(), open.afterEventId());
        return complete(stream.response(open.appId(), open.afterEventId(), () -> slots.release(open.appId())));
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
