package io.wakeline.broker.gateway.webpush;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.completeWithFuture;
import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.reject;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import io.wakeline.broker.channel.WebPushSubscriptionToken;
import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.WebPushMessage;
import io.wakeline.broker.gateway.http.BodyReader;
import io.wakeline.broker.gateway.http.BoundedAsk;
import io.wakeline.broker.gateway.http.HeadReader;
import io.wakeline.broker.gateway.http.MessageIds;
import io.wakeline.broker.gateway.http.Rejection;
import io.wakeline.broker.gateway.http.RejectionRenderer;
import io.wakeline.broker.gateway.http.ResourcePath;
import io.wakeline.broker.gateway.ratelimit.InFlightLimit;
import io.wakeline.broker.gateway.ratelimit.KeyedRateLimiter;
import io.wakeline.broker.gateway.ratelimit.TokenBucket;
import io.wakeline.broker.gateway.webpush.WebPushRequestRules.Decision;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Push endpoint for app servers (RFC 8030 §5, RFC 8292; a relay for RFC 8291 payloads):
 * <ul>
 *   <li>{@code POST /wp/<subscription>}: send. 201 Created with {@code Location} (the message resource) and
 *       {@code TTL}; with {@code Prefer: respond-async}, 202 Accepted plus
 *       {@code Link: <…/wp/r/<subscription>>; rel="urn:ietf:params:push:receipt"} (§5.1);</li>
 *   <li>{@code GET|DELETE /wp/m/<message>}: the message resource ({@link MessageResourceRoute});</li>
 *   <li>{@code GET /wp/r/<receipt subscription>}: the push receipts ({@link ReceiptSubscriptionRoute}).</li>
 * </ul>
 * Errors carry a small JSON body {@code {"code":…,"error":…,"message":…}}.
 */
public final class WebPushRoute {
    private static final Logger log = LoggerFactory.getLogger(WebPushRoute.class);
    private static final Set<String> READ_HEADERS = Set.of("authorization", "crypto-key", "ttl", "urgency", "topic",
            "prefer", "push-receipt", "link", "content-encoding");

    private final WebPushRequestRules rules;
    private final DeviceDirectory devices;
    private final MessageIds messageIds;
    private final BodyReader bodies;
    private final Duration retryAfter;
    private final WebPushSettings settings;
    private final Clock clock;
    private final InFlightLimit inFlight;
    private final KeyedRateLimiter senderLimiter;
    private final MessageResourceSealer messages;
    private final ReceiptSubscriptionSealer receiptSubscriptions;
    private final RejectionRenderer rejections;
    private final MessageResourceRoute messageResources;
    private final ReceiptSubscriptionRoute receiptStreams;
    private final String base;

    /**
     * @param publicBaseUrl where the push resources live ({@code <public-base-url>/wp/…})
     * @param retryAfter    the {@code Retry-After} of a 503
     * @param senderLimiter sends per sender: its VAPID key, else the subscription
     */
    public WebPushRoute(WebPushRequestRules rules, DeviceDirectory devices, MessageIds messageIds, BodyReader bodies,
                        String publicBaseUrl, Duration retryAfter, WebPushSettings settings, KeyedRateLimiter senderLimiter,
                        InFlightLimit inFlight, MessageResourceSealer messages, ReceiptSubscriptionSealer receiptSubscriptions,
                        MessageResourceRoute messageResources, ReceiptSubscriptionRoute receiptStreams, Clock clock) {
        this.rules = rules;
        this.devices = devices;
        this.messageIds = messageIds;
        this.bodies = bodies;
        this.retryAfter = retryAfter;
        this.settings = settings;
        this.clock = clock;
        this.inFlight = inFlight;
        this.senderLimiter = senderLimiter;
        this.messages = messages;
        this.receiptSubscriptions = receiptSubscriptions;
        this.rejections = rejections(settings, HttpMethods.POST);
        this.messageResources = messageResources;
        this.receiptStreams = receiptStreams;
        this.base = publicBaseUrl + "/" + WebPushEndpoints.PUSH_PATH_SEGMENT + "/";
    }

    public Route route() {
        return ResourcePath.below(WebPushEndpoints.PUSH_PATH_SEGMENT, segments -> {
            if (segments.isEmpty()) {
                return reject(); // "/wp" alone is not a resource
            }
            if (segments.size() == 1) {
                return extractRequest(request -> completeWithFuture(handlePush(request, segments.get(0))));
            }
            if (segments.size() == 2 && segments.get(0).equals(MessageResourceRoute.PATH_SEGMENT)) {
                return extractRequest(request -> completeWithFuture(messageResources.handle(request, segments.get(1))));
            }
            if (segments.size() == 2 && segments.get(0).equals(WebPushRequestRules.RECEIPT_PATH_SEGMENT)) {
                return extractRequest(request -> complete(receiptStreams.handle(request, segments.get(1))));
            }
            return complete(rejections.render(new Rejection(Rejection.Kind.NOT_FOUND, "Not a push resource of this service")));
        });
    }

    CompletionStage<HttpResponse> handlePush(HttpRequest request, String sealedSubscription) {
        String msgId = messageIds.next();
        try {
            return send(request, sealedSubscription, msgId);
        } catch (RuntimeException e) {
            log.error("Web Push send failed msgId={}", msgId, e);
            return refused(new Rejection(Rejection.Kind.INTERNAL_ERROR, "Internal error"));
        }
    }

    private CompletionStage<HttpResponse> send(HttpRequest request, String sealedSubscription, String msgId) {
        long now = clock.millis();
        Decision decision = rules.checkHead(HeadReader.read(request, READ_HEADERS::contains), sealedSubscription, now);
        if (decision instanceof Decision.Rejected rejected) {
            log.debug("Web Push send rejected msgId={} kind={} reason={}", msgId, rejected.rejection().kind(),
                    rejected.rejection().description());
            return refused(rejected.rejection());
        }
        WebPushRequestRules.Accepted accepted = ((Decision.Send) decision).accepted();
        String senderKey = accepted.hasSenderKey() ? "vapid:" + Vapid.encodeKey(accepted.senderKey())
                : "subscription:" + accepted.subscription().subscriptionId();
        if (senderLimiter.tryTake(senderKey) instanceof TokenBucket.Admission.Limited limited) {
            log.debug("Web Push sender throttled msgId={} sender={}", msgId, senderKey);
            return refused(new Rejection(Rejection.Kind.TOO_MANY_REQUESTS, "Too many messages from this sender")
                    .withRetryAfter(Duration.ofSeconds(limited.retryAfterSeconds())));
        }
        return inFlight.tryRun(() -> readAndDeliver(request, accepted, msgId, now)).orElseGet(() -> {
            log.warn("Web Push send refused, node overloaded msgId={} inFlight={}", msgId, inFlight.inFlight());
            return refused(unavailable());
        });
    }

    private CompletionStage<HttpResponse> readAndDeliver(HttpRequest request, WebPushRequestRules.Accepted accepted,
                                                         String msgId, long now) {
        return bodies.read(request.entity(), WebPushRequestRules.MAX_PAYLOAD_BYTES).thenCompose(body -> {
            if (body instanceof BodyReader.Body.TooLarge) {
                return refused(new Rejection(Rejection.Kind.PAYLOAD_TOO_LARGE,
                        "Payload exceeds " + WebPushRequestRules.MAX_PAYLOAD_BYTES + " bytes"));
            }
            if (body instanceof BodyReader.Body.Unreadable unreadable) {
                log.debug("Web Push body unreadable msgId={}", msgId, unreadable.cause());
                return refused(new Rejection(Rejection.Kind.BAD_REQUEST, "Request body could not be read"));
            }
            byte[] payload = ((BodyReader.Body.Read) body).bytes();
            return rules.checkPayload(payload, accepted)
                    .map(WebPushRoute.this::refused)
                    .orElseGet(() -> deliver(accepted, payload, msgId, now));
        });
    }

    private CompletionStage<HttpResponse> deliver(WebPushRequestRules.Accepted accepted, byte[] payload, String msgId,
                                                  long now) {
        WebPushSubscriptionToken subscription = accepted.subscription();
        long expiresAt = now + accepted.ttlSeconds() * 1000;
        String location = base + MessageResourceRoute.PATH_SEGMENT + "/" + messages.seal(new MessageResourceToken(
                subscription.deviceId(), subscription.subscriptionId(), msgId, expiresAt));
        Optional<ReceiptSubscription> receipts = receiptSubscriptionFor(accepted.receipt(), now);
        WebPushMessage.ReceiptRequest receipt = receipts
                .map(subscribed -> new WebPushMessage.ReceiptRequest(subscribed.id(), location))
                .orElse(WebPushMessage.ReceiptRequest.NONE);
        WebPushMessage message = new WebPushMessage(subscription.deviceId(), subscription.appId(),
                subscription.subscriptionId(), payload, accepted.contentEncoding(), accepted.ttlSeconds(),
                accepted.urgency(), accepted.topic(), receipt, msgId, now);
        return BoundedAsk.<PushOutcome>ask(() -> devices.deliver(message)).thenApply(answer -> {
            if (answer instanceof BoundedAsk.Answer.Replied<PushOutcome> replied) {
                return accepted(replied.reply(), location, receipts, accepted);
            }
            if (answer instanceof BoundedAsk.Answer.Failed<PushOutcome> failed) {
                log.error("Device side failed msgId={} deviceId={}", msgId, subscription.deviceId(), failed.cause());
                return rejections.render(new Rejection(Rejection.Kind.INTERNAL_ERROR, "Internal error"));
            }
            log.warn("Device side did not answer in time msgId={} deviceId={}", msgId, subscription.deviceId());
            return rejections.render(unavailable());
        });
    }

    private HttpResponse accepted(PushOutcome outcome, String location, Optional<ReceiptSubscription> receipts,
                                  WebPushRequestRules.Accepted accepted) {
        if (outcome instanceof PushOutcome.TargetUnknown || outcome instanceof PushOutcome.TargetClosed) {
            return rejections.render(new Rejection(Rejection.Kind.GONE, "Subscription no longer exists"));
        }
        List<HttpHeader> headers = new ArrayList<>(4);
        headers.add(RawHeader.create("Location", location));
        headers.add(RawHeader.create("TTL", String.valueOf(accepted.ttlSeconds())));
        receipts.ifPresent(subscribed -> headers.add(RawHeader.create("Link", "<" + base
                + WebPushRequestRules.RECEIPT_PATH_SEGMENT + "/" + subscribed.sealed()
                + ">; rel=\"" + WebPushRequestRules.RECEIPT_RELATION + "\"")));
        return HttpResponse.create().withStatus(receipts.isPresent() ? 202 : 201).addHeaders(headers);
    }

    /** A receipt subscription a send's receipt goes to: its id (its event log) and its sealed token (its URL). */
    private record ReceiptSubscription(String id, String sealed) {
    }

    /**
     * The receipt subscription of a send that asked for a receipt (RFC 8030 §5.1): the one handed back, or a new one,
     * with a fresh id (its own event log) and {@code receipt-subscription-lifetime}.
     */
    private Optional<ReceiptSubscription> receiptSubscriptionFor(WebPushRequestRules.ReceiptChoice choice, long now) {
        if (choice instanceof WebPushRequestRules.ReceiptChoice.Reuse reuse) {
            return Optional.of(new ReceiptSubscription(reuse.token().receiptSubscriptionId(), reuse.sealed()));
        }
        if (choice instanceof WebPushRequestRules.ReceiptChoice.Fresh) {
            ReceiptSubscriptionToken fresh = new ReceiptSubscriptionToken(UUID.randomUUID().toString(),
                    now + settings.receiptSubscriptionLifetime().toMillis());
            return Optional.of(new ReceiptSubscription(fresh.receiptSubscriptionId(), receiptSubscriptions.seal(fresh)));
        }
        return Optional.empty();
    }

    /** Web Push errors ({@code {"code","error","message"}}), with {@code WWW-Authenticate: vapid} (RFC 8292 §4.1). */
    static RejectionRenderer rejections(WebPushSettings settings, HttpMethod... allow) {
        return new RejectionRenderer(RejectionRenderer.Form.WEB_PUSH_JSON, RawHeader.create("WWW-Authenticate", "vapid"),
                List.of(allow), settings.goneStatus());
    }

    private Rejection unavailable() {
        return new Rejection(Rejection.Kind.UNAVAILABLE, "Service temporarily unavailable; retry later")
                .withRetryAfter(retryAfter);
    }

    private CompletionStage<HttpResponse> refused(Rejection rejection) {
        return CompletableFuture.completedFuture(rejections.render(rejection));
    }
}
