package io.wakeline.broker.gateway.webpush;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.completeWithFuture;
import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.extractUnmatchedPath;
import static akka.http.javadsl.server.Directives.pathPrefix;
import static akka.http.javadsl.server.Directives.reject;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.server.Route;
import akka.stream.Materializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.app.events.AppEventsSettings;
import io.wakeline.broker.channel.WebPushSubscriptionToken;
import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.WebPushMessage;
import io.wakeline.broker.gateway.app.AppGatewaySettings;
import io.wakeline.broker.gateway.app.BoundedDelivery;
import io.wakeline.broker.gateway.app.BoundedEntity;
import io.wakeline.broker.gateway.app.MessageIds;
import io.wakeline.broker.gateway.events.EventLogStream;
import io.wakeline.broker.gateway.events.EventStreamRequestRules;
import io.wakeline.broker.gateway.events.StreamSlots;
import io.wakeline.broker.gateway.ratelimit.InFlightLimit;
import io.wakeline.broker.gateway.ratelimit.KeyedRateLimiter;
import io.wakeline.broker.gateway.ratelimit.TokenBucket;
import io.wakeline.broker.gateway.webpush.WebPushRequestRules.Decision;
import io.wakeline.broker.gateway.webpush.WebPushRequestRules.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Push endpoint for app servers (RFC 8030 §5, RFC 8292; a relay for RFC 8291 payloads):
 * <ul>
 *   <li>{@code POST /wp/<subscription>}: send. 201 Created with {@code Location} (the message resource) and
 *       {@code TTL}; with {@code Prefer: respond-async}, 202 Accepted plus
 *       {@code Link: <…/wp/r/<subscription>>; rel="urn:ietf:params:push:receipt"} (§5.1);</li>
 *   <li>{@code GET|DELETE /wp/m/<message>}: the message resource: 200 / 204 while the message is stored and
 *       undelivered, 404 once delivered, expired, replaced or deleted;</li>
 *   <li>{@code GET /wp/r/<receipt subscription>}: the push receipts (RFC 8030 §6.3) as a resumable
 *       {@code text/event-stream} instead of HTTP/2 server push, which Akka HTTP cannot send (akka/akka-http#1051;
 *       docs/app-server-api.md "Receipts").</li>
 * </ul>
 * Errors carry a small JSON body {@code {"code":…,"error":…,"message":…}}.
 */
public final class WebPushRoute {
    private static final Logger log = LoggerFactory.getLogger(WebPushRoute.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String MESSAGE_PATH_SEGMENT = "m";
    private static final Set<String> READ_HEADERS = Set.of("authorization", "crypto-key", "ttl", "urgency", "topic",
            "prefer", "push-receipt", "link", "content-encoding");

    private final Materializer materializer;
    private final WebPushRequestRules rules;
    private final DeviceDirectory devices;
    private final MessageIds messageIds;
    private final AppGatewaySettings settings;
    private final Clock clock;
    private final InFlightLimit inFlight;
    private final KeyedRateLimiter senderLimiter;
    private final MessageResourceSealer messages;
    private final ReceiptSubscriptionSealer receiptSubscriptions;
    private final EventLogStream receiptStreams;
    private final StreamSlots receiptStreamSlots;
    private final AppEventsSettings events;
    private final String base;

    public WebPushRoute(ActorSystem<?> system, WebPushRequestRules rules, DeviceDirectory devices, MessageIds messageIds,
                        AppGatewaySettings settings, Clock clock, InFlightLimit inFlight, MessageResourceSealer messages,
                        ReceiptSubscriptionSealer receiptSubscriptions, AppEventsSettings events) {
        this.materializer = Materializer.matFromSystem(system);
        this.rules = rules;
        this.devices = devices;
        this.messageIds = messageIds;
        this.settings = settings;
        this.clock = clock;
        this.inFlight = inFlight;
        this.senderLimiter = KeyedRateLimiter.systemClock(settings.limits().webPushSender(),
                settings.limits().maxTrackedKeys());
        this.messages = messages;
        this.receiptSubscriptions = receiptSubscriptions;
        this.events = events;
        this.receiptStreams = new EventLogStream(system, events);
        this.receiptStreamSlots = new StreamSlots(events.maxStreamsPerApp());
        this.base = settings.publicBaseUrl() + "/" + WebPushEndpoints.PUSH_PATH_SEGMENT + "/";
    }

    public Route route() {
        return pathPrefix(WebPushEndpoints.PUSH_PATH_SEGMENT, () -> extractUnmatchedPath(rest -> {
            if (!rest.startsWith("/")) {
                return reject(); // "/wpx" is not ours
            }
            String[] segments = rest.substring(1).split("/", -1);
            if (segments.length == 1) {
                return extractRequest(request -> completeWithFuture(handlePush(request, segments[0])));
            }
            if (segments.length == 2 && segments[0].equals(MESSAGE_PATH_SEGMENT)) {
                return extractRequest(request -> completeWithFuture(handleMessage(request, segments[1])));
            }
            if (segments.length == 2 && segments[0].equals(WebPushRequestRules.RECEIPT_PATH_SEGMENT)) {
                return extractRequest(request -> complete(handleReceipts(request, segments[1])));
            }
            return extractRequest(request -> completeWithFuture(CompletableFuture.completedFuture(
                    error(404, "Not a push resource of this service"))));
        }));
    }

    // ---- push resource: send -------------------------------------------------------------------------

    CompletionStage<HttpResponse> handlePush(HttpRequest request, String sealedSubscription) {
        String msgId = messageIds.next();
        try {
            long now = clock.millis();
            Decision decision = rules.checkHead(headOf(request, sealedSubscription), now);
            if (decision instanceof Decision.Rejected rejected) {
                log.debug("Web Push send rejected msgId={} kind={} reason={}", msgId, rejected.rejection().kind(),
                        rejected.rejection().reason());
                return CompletableFuture.completedFuture(rejection(rejected.rejection()));
            }
            WebPushRequestRules.Accepted accepted = ((Decision.Send) decision).accepted();
            String senderKey = accepted.hasSenderKey() ? "vapid:" + Vapid.encodeKey(accepted.senderKey())
                    : "subscription:" + accepted.subscription().subscriptionId();
            if (senderLimiter.tryTake(senderKey) instanceof TokenBucket.Admission.Limited limited) {
                log.debug("Web Push sender throttled msgId={} sender={}", msgId, senderKey);
                return CompletableFuture.completedFuture(error(429, "Too many messages from this sender")
                        .addHeader(RetryAfter.create(limited.retryAfterSeconds())));
            }
            if (!inFlight.tryAcquire()) {
                log.warn("Web Push send refused, node overloaded msgId={} inFlight={}", msgId, inFlight.inFlight());
                return CompletableFuture.completedFuture(unavailable());
            }
            CompletionStage<HttpResponse> answered;
            try {
                answered = readAndDeliver(request, accepted, sealedSubscription, msgId, now);
            } catch (RuntimeException e) {
                inFlight.release();
                throw e;
            }
            return answered.whenComplete((response, failure) -> inFlight.release());
        } catch (RuntimeException e) {
            log.error("Web Push send failed msgId={}", msgId, e);
            return CompletableFuture.completedFuture(error(500, "Internal error"));
        }
    }

    private CompletionStage<HttpResponse> readAndDeliver(HttpRequest request, WebPushRequestRules.Accepted accepted,
                                                         String sealedSubscription, String msgId, long now) {
        return BoundedEntity.read(request.entity(), WebPushRequestRules.MAX_PAYLOAD_BYTES, settings.drainLimit(),
                        settings.bodyTimeout(), materializer)
                .handle((payload, readFailure) -> {
                    if (readFailure != null) {
                        if (BoundedEntity.isTooLarge(readFailure)) {
                            return CompletableFuture.completedFuture(error(413,
                                    "Payload exceeds " + WebPushRequestRules.MAX_PAYLOAD_BYTES + " bytes"));
                        }
                        log.debug("Web Push body unreadable msgId={}", msgId, readFailure);
                        return CompletableFuture.completedFuture(error(400, "Request body could not be read"));
                    }
                    return rules.checkPayload(payload, accepted)
                            .map(rejection -> CompletableFuture.completedFuture(rejection(rejection)))
                            .orElseGet(() -> deliver(accepted, payload, sealedSubscription, msgId, now));
                })
                .thenCompose(stage -> stage);
    }

    private CompletableFuture<HttpResponse> deliver(WebPushRequestRules.Accepted accepted, byte[] payload,
                                                    String sealedSubscription, String msgId, long now) {
        WebPushSubscriptionToken subscription = accepted.subscription();
        long expiresAt = now + accepted.ttlSeconds() * 1000;
        String location = base + MESSAGE_PATH_SEGMENT + "/" + messages.seal(new MessageResourceToken(
                subscription.deviceId(), subscription.subscriptionId(), msgId, expiresAt));
        Optional<String> sealedReceipts = receiptSubscriptionFor(accepted.receipt(), now);
        WebPushMessage.ReceiptRequest receipt = sealedReceipts
                .map(sealed -> new WebPushMessage.ReceiptRequest(receiptSubscriptionIdOf(accepted.receipt(), sealed), location))
                .orElse(WebPushMessage.ReceiptRequest.NONE);
        WebPushMessage message = new WebPushMessage(subscription.deviceId(), subscription.appId(),
                subscription.subscriptionId(), payload, accepted.contentEncoding(), accepted.ttlSeconds(),
                accepted.urgency(), accepted.topic(), receipt, msgId, now);
        return BoundedDelivery.deliver(devices, message, settings.askTimeout())
                .handle((o, failure) -> {
                    if (failure == null && o != null) {
                        return accepted(o, location, sealedReceipts, accepted);
                    }
                    Throwable cause = failure == null ? null : BoundedEntity.unwrap(failure);
                    if (cause instanceof TimeoutException) {
                        log.warn("Device side did not answer in time msgId={} deviceId={}", msgId, subscription.deviceId());
                        return unavailable();
                    }
                    log.error("Device side failed msgId={} deviceId={}", msgId, subscription.deviceId(), cause);
                    return error(500, "Internal error");
                });
    }

    private HttpResponse accepted(PushOutcome outcome, String location, Optional<String> sealedReceipts,
                                  WebPushRequestRules.Accepted accepted) {
        if (outcome instanceof PushOutcome.TargetUnknown || outcome instanceof PushOutcome.TargetClosed) {
            return error(settings.webPush().goneStatus(), "Subscription no longer exists");
        }
        List<HttpHeader> headers = new ArrayList<>(4);
        headers.add(RawHeader.create("Location", location));
        headers.add(RawHeader.create("TTL", String.valueOf(accepted.ttlSeconds())));
        sealedReceipts.ifPresent(sealed -> headers.add(RawHeader.create("Link", "<" + receiptSubscriptionUri(sealed)
                + ">; rel=\"" + WebPushRequestRules.RECEIPT_RELATION + "\"")));
        return HttpResponse.create().withStatus(sealedReceipts.isPresent() ? 202 : 201).addHeaders(headers);
    }

    /**
     * The sealed receipt subscription of a send that asked for a receipt (RFC 8030 §5.1): the one handed back, or a
     * new one, with a fresh id (its own event log) and {@code receipt-subscription-lifetime}.
     */
    private Optional<String> receiptSubscriptionFor(WebPushRequestRules.ReceiptChoice choice, long now) {
        if (choice instanceof WebPushRequestRules.ReceiptChoice.Reuse reuse) {
            return Optional.of(reuse.sealed());
        }
        if (choice instanceof WebPushRequestRules.ReceiptChoice.Fresh) {
            return Optional.of(receiptSubscriptions.seal(new ReceiptSubscriptionToken(UUID.randomUUID().toString(),
                    now + settings.webPush().receiptSubscriptionLifetime().toMillis())));
        }
        return Optional.empty();
    }

    private String receiptSubscriptionIdOf(WebPushRequestRules.ReceiptChoice choice, String sealed) {
        if (choice instanceof WebPushRequestRules.ReceiptChoice.Reuse reuse) {
            return reuse.token().receiptSubscriptionId();
        }
        return receiptSubscriptions.open(sealed).orElseThrow().receiptSubscriptionId();
    }

    private String receiptSubscriptionUri(String sealed) {
        return base + WebPushRequestRules.RECEIPT_PATH_SEGMENT + "/" + sealed;
    }

    // ---- message resource ---------------------------------------------------------------------------

    CompletionStage<HttpResponse> handleMessage(HttpRequest request, String sealedMessage) {
        boolean get = request.method().equals(HttpMethods.GET);
        boolean delete = request.method().equals(HttpMethods.DELETE);
        if (!get && !delete) {
            return CompletableFuture.completedFuture(error(405, "Only GET and DELETE are supported on a message resource")
                    .addHeader(Allow.create(HttpMethods.GET, HttpMethods.DELETE)));
        }
        var token = messages.open(sealedMessage);
        if (token.isEmpty() || clock.millis() >= token.get().expiresAtMillis()) {
            return CompletableFuture.completedFuture(error(404, "No such pending message"));
        }
        MessageResourceToken message = token.get();
        DeviceEntity.MessageAction action = delete ? DeviceEntity.MessageAction.Delete : DeviceEntity.MessageAction.Query;
        CompletableFuture<DeviceEntity.StoredWebPushMessage> answer = new CompletableFuture<>();
        try {
            devices.manageWebPushMessage(message.deviceId(), message.subscriptionId(), message.messageId(), action)
                    .whenComplete((a, e) -> {
                        if (e != null) {
                            answer.completeExceptionally(e);
                        } else {
                            answer.complete(a);
                        }
                    });
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        }
        return answer.orTimeout(settings.askTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((stored, failure) -> {
                    if (failure != null) {
                        return BoundedEntity.unwrap(failure) instanceof TimeoutException ? unavailable()
                                : error(500, "Internal error");
                    }
                    if (!stored.pending()) {
                        return error(404, "No such pending message (delivered, expired, replaced or deleted)");
                    }
                    if (delete) {
                        return HttpResponse.create().withStatus(204);
                    }
                    ObjectNode body = JSON.createObjectNode().put("messageId", message.messageId()).put("state", "pending");
                    return HttpResponse.create().withStatus(200)
                            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
                });
    }

    // ---- receipt subscription -----------------------------------------------------------------------

    /**
     * {@code GET} on a receipt subscription (RFC 8030 §6.3): its push receipts as Server-Sent Events, resumable with
     * {@code Last-Event-ID}. The URL is the capability (RFC 8030 §8): no other credentials. Not ours, altered, or
     * expired: 404 (§7.3).
     */
    HttpResponse handleReceipts(HttpRequest request, String sealed) {
        if (!request.method().equals(HttpMethods.GET)) {
            return error(405, "Only GET is supported on a receipt subscription")
                    .addHeader(Allow.create(HttpMethods.GET));
        }
        Optional<ReceiptSubscriptionToken> token = receiptSubscriptions.open(sealed);
        if (token.isEmpty() || token.get().isExpiredAt(clock.millis())) {
            return error(404, "Not a receipt subscription of this service (or expired)");
        }
        List<String> lastEventId = new ArrayList<>(1);
        for (HttpHeader header : request.getHeaders()) {
            if (header.is("last-event-id")) {
                lastEventId.add(header.value());
            }
        }
        EventStreamRequestRules.Resume resume = EventStreamRequestRules.resumeFrom(lastEventId,
                request.getUri().query().get("after"));
        if (resume instanceof EventStreamRequestRules.Resume.Invalid invalid) {
            return error(400, invalid.description());
        }
        String logId = AppEvent.WebPushReceipt.logOf(token.get().receiptSubscriptionId());
        if (!receiptStreamSlots.tryAcquire(logId)) {
            return error(429, "At most " + events.maxStreamsPerApp() + " streams per receipt subscription")
                    .addHeader(RetryAfter.create(Math.max(1L, events.heartbeat().toSeconds())));
        }
        long after = ((EventStreamRequestRules.Resume.After) resume).eventId();
        log.debug("Receipt stream opened receiptSubscription={} after={}", token.get().receiptSubscriptionId(), after);
        return receiptStreams.response(logId, after, () -> receiptStreamSlots.release(logId));
    }

    // ---- answers ------------------------------------------------------------------------------------

    private HttpResponse rejection(Rejection rejection) {
        return switch (rejection.kind()) {
            case BAD_REQUEST -> error(400, rejection.reason());
            case UNAUTHORIZED -> error(401, rejection.reason())
                    .addHeader(RawHeader.create("WWW-Authenticate", "vapid"));
            case FORBIDDEN -> error(403, rejection.reason());
            case NOT_FOUND -> error(404, rejection.reason());
            case GONE -> error(settings.webPush().goneStatus(), rejection.reason());
            case METHOD_NOT_ALLOWED -> error(405, rejection.reason()).addHeader(Allow.create(HttpMethods.POST));
            case PAYLOAD_TOO_LARGE -> error(413, rejection.reason());
        };
    }

    private HttpResponse unavailable() {
        return error(503, "Service temporarily unavailable; retry later")
                .addHeader(RetryAfter.create(Math.max(1L, settings.retryAfter().toSeconds())));
    }

    private static HttpResponse error(int status, String message) {
        HttpResponse response = HttpResponse.create().withStatus(status);
        ObjectNode body = JSON.createObjectNode()
                .put("code", status)
                .put("error", response.status().reason())
                .put("message", message);
        return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                body.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static WebPushRequestRules.Head headOf(HttpRequest request, String sealedSubscription) {
        Map<String, List<String>> headers = new HashMap<>();
        for (HttpHeader header : request.getHeaders()) {
            String name = header.lowercaseName();
            if (READ_HEADERS.contains(name)) {
                headers.computeIfAbsent(name, n -> new ArrayList<>(1)).add(header.value());
            }
        }
        return new WebPushRequestRules.Head(request.method().name(), sealedSubscription, headers,
                request.entity().getContentLengthOption());
    }
}
