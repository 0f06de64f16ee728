package io.wakeline.broker.gateway.webpush;

import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.gateway.events.EventLogStream;
import io.wakeline.broker.gateway.events.EventStreamRequestRules;
import io.wakeline.broker.gateway.http.HeadReader;
import io.wakeline.broker.gateway.http.Rejection;
import io.wakeline.broker.gateway.http.RejectionRenderer;
import io.wakeline.broker.gateway.http.RequestHead;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /wp/r/<receipt subscription>} (RFC 8030 §6.3): its push receipts as Server-Sent Events, resumable with
 * {@code Last-Event-ID}, instead of HTTP/2 server push, which Akka HTTP cannot send (akka/akka-http#1051;
 * docs/app-server-api.md "Receipts"). The URL is the capability (RFC 8030 §8): no other credentials. Not ours,
 * altered, or expired: 404 (§7.3).
 */
public final class ReceiptSubscriptionRoute {
    private static final Logger log = LoggerFactory.getLogger(ReceiptSubscriptionRoute.class);

    private final ReceiptSubscriptionSealer receiptSubscriptions;
    private final EventLogStream stream;
    private final RejectionRenderer rejections;
    private final Clock clock;

    public ReceiptSubscriptionRoute(ReceiptSubscriptionSealer receiptSubscriptions, EventLogStream stream,
                                    WebPushSettings settings, Clock clock) {
        this.receiptSubscriptions = receiptSubscriptions;
        this.stream = stream;
        this.rejections = WebPushRoute.rejections(settings, HttpMethods.GET);
        this.clock = clock;
    }

    HttpResponse handle(HttpRequest request, String sealed) {
        if (!request.method().equals(HttpMethods.GET)) {
            return rejections.render(new Rejection(Rejection.Kind.METHOD_NOT_ALLOWED,
                    "Only GET is supported on a receipt subscription"));
        }
        Optional<ReceiptSubscriptionToken> token = receiptSubscriptions.open(sealed);
        if (token.isEmpty() || token.get().isExpiredAt(clock.millis())) {
            return rejections.render(new Rejection(Rejection.Kind.NOT_FOUND,
                    "Not a receipt subscription of this service (or expired)"));
        }
        RequestHead head = HeadReader.read(request, "last-event-id"::equals);
        EventStreamRequestRules.Resume resume = EventStreamRequestRules.resumeFrom(head);
        if (resume instanceof EventStreamRequestRules.Resume.Invalid invalid) {
            return rejections.render(new Rejection(Rejection.Kind.BAD_REQUEST, invalid.description()));
        }
        String receiptSubscriptionId = token.get().receiptSubscriptionId();
        long after = ((EventStreamRequestRules.Resume.After) resume).eventId();
        return stream.open(AppEvent.WebPushReceipt.logOf(receiptSubscriptionId), after)
                .map(response -> {
                    log.debug("Receipt stream opened receiptSubscription={} after={}", receiptSubscriptionId, after);
                    return response;
                })
                .orElseGet(() -> rejections.render(new Rejection(Rejection.Kind.TOO_MANY_REQUESTS,
                        "At most " + stream.maxStreams() + " streams per receipt subscription")
                        .withRetryAfter(stream.retryAfter())));
    }
}
