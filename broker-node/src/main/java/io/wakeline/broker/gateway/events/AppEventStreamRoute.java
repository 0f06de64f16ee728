package io.wakeline.broker.gateway.events;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.path;

import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Route;
import io.wakeline.broker.app.events.AppEventLog;
import io.wakeline.broker.gateway.events.EventStreamRequestRules.Decision;
import io.wakeline.broker.gateway.http.HeadReader;
import io.wakeline.broker.gateway.http.Rejection;
import io.wakeline.broker.gateway.http.RejectionRenderer;
import java.time.Clock;
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
    private static final RejectionRenderer REJECTIONS = new RejectionRenderer(RejectionRenderer.Form.PLAIN_TEXT,
            RejectionRenderer.bearerChallenge("wakeline-events"), List.of(HttpMethods.GET), 410);

    private final EventStreamRequestRules rules;
    private final EventLogStream stream;
    private final Clock clock;

    public AppEventStreamRoute(EventStreamRequestRules rules, EventLogStream stream, Clock clock) {
        this.rules = rules;
        this.stream = stream;
        this.clock = clock;
    }

    public Route route() {
        return path("events", () -> get(() -> extractRequest(request -> complete(handle(request)))));
    }

    private HttpResponse handle(HttpRequest request) {
        Decision decision = rules.check(HeadReader.read(request, EventStreamRequestRules.READ_HEADERS::contains),
                clock.millis());
        if (decision instanceof Decision.Rejected rejected) {
            log.debug("Event stream refused kind={} reason={}", rejected.rejection().kind(), rejected.rejection().description());
            return REJECTIONS.render(rejected.rejection());
        }
        Decision.Open open = (Decision.Open) decision;
        return stream.open(open.appId(), open.afterEventId())
                .map(response -> {
                    log.debug("Event stream opened appId={} after={}", open.appId(), open.afterEventId());
                    return response;
                })
                .orElseGet(() -> {
                    log.info("Event stream refused, too many streams appId={} open={}", open.appId(),
                            stream.openStreams(open.appId()));
                    return REJECTIONS.render(new Rejection(Rejection.Kind.TOO_MANY_REQUESTS,
                            "At most " + stream.maxStreams() + " event streams per app").withRetryAfter(stream.retryAfter()));
                });
    }
}
