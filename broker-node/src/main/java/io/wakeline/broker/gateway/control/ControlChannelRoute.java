package io.wakeline.broker.gateway.control;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.completeWithFuture;
import static akka.http.javadsl.server.Directives.extractRequest;

import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import akka.stream.Materializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wakeline.broker.channel.ControlChannelToken;
import io.wakeline.broker.device.ControlChannelDirectory;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.control.MessageFate;
import io.wakeline.broker.gateway.control.ControlChannelRequestRules.Decision;
import io.wakeline.broker.gateway.http.BodyReader;
import io.wakeline.broker.gateway.http.BoundedAsk;
import io.wakeline.broker.gateway.http.HeadReader;
import io.wakeline.broker.gateway.http.Json;
import io.wakeline.broker.gateway.http.Rejection;
import io.wakeline.broker.gateway.http.RejectionRenderer;
import io.wakeline.broker.gateway.http.ResourcePath;
import io.wakeline.broker.gateway.ratelimit.InFlightLimit;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /cc/<token>} sends a guaranteed message to a control channel; {@code GET /cc/<token>/messages/<id>}
 * answers its fate (docs/app-server-api.md "Control channels"). {@link ControlChannelRequestRules} decides on the
 * request; the device's entity journals the message before the 2xx.
 *
 * <p>Statuses: 201 (new message), 200 (idempotent replay of a client message id), 429 + {@code Retry-After} (the
 * channel's backlog is full: nothing stored — retry after the device caught up), 503 + {@code Retry-After} (device
 * side did not answer in time: the message may or may not be stored, so retry with the same client message id).
 * Errors are JSON {@code {"error":…,"description":…}}.
 */
public final class ControlChannelRoute {
    private static final Logger log = LoggerFactory.getLogger(ControlChannelRoute.class);
    private static final String MESSAGES = "messages";
    private static final Predicate<String> READ_HEADERS =
            name -> name.startsWith("x-wakeline-") || name.equals("authorization");
    private static final RejectionRenderer REJECTIONS = new RejectionRenderer(RejectionRenderer.Form.ERROR_JSON,
            RejectionRenderer.bearerChallenge("wakeline"), List.of(HttpMethods.POST, HttpMethods.GET), 410);

    private final Materializer materializer;
    private final ControlChannelRequestRules rules;
    private final ControlChannelDirectory devices;
    private final BodyReader bodies;
    private final Duration retryAfter;
    private final Clock clock;
    private final InFlightLimit inFlight;

    /** @param retryAfter the {@code Retry-After} of a 429 (backlog full) and a 503 */
    public ControlChannelRoute(ControlChannelRequestRules rules, ControlChannelDirectory devices, BodyReader bodies,
                               Duration retryAfter, InFlightLimit inFlight, Clock clock, Materializer materializer) {
        this.materializer = materializer;
        this.rules = rules;
        this.devices = devices;
        this.bodies = bodies;
        this.retryAfter = retryAfter;
        this.clock = clock;
        this.inFlight = inFlight;
    }

    public Route route() {
        return ResourcePath.below(ControlChannelUris.PATH_SEGMENT, segments -> {
            List<String> parts = segments.isEmpty() ? List.of("") : segments;
            if (parts.size() == 1) {
                return extractRequest(request -> completeWithFuture(handle(request, parts.get(0), Optional.empty())));
            }
            if (parts.size() == 3 && parts.get(1).equals(MESSAGES)) {
                return extractRequest(request -> completeWithFuture(handle(request, parts.get(0), Optional.of(parts.get(2)))));
            }
            return complete(REJECTIONS.render(new Rejection(Rejection.Kind.NOT_FOUND, "No such resource")));
        });
    }

    CompletionStage<HttpResponse> handle(HttpRequest request, String sealed, Optional<String> messageId) {
        try {
            long now = clock.millis();
            Decision decision = rules.check(HeadReader.read(request, READ_HEADERS), sealed, messageId, now);
            if (decision instanceof Decision.Send send) {
                return inFlight.tryRun(() -> send(request, sealed, send, now)).orElseGet(() -> {
                    request.discardEntityBytes(materializer);
                    return refused(new Rejection(Rejection.Kind.UNAVAILABLE, "node overloaded").withRetryAfter(retryAfter));
                });
            }
            request.discardEntityBytes(materializer);
            if (decision instanceof Decision.Status status) {
                return status(status);
            }
            return refused(((Decision.Rejected) decision).rejection());
        } catch (RuntimeException e) {
            log.error("control channel request failed", e);
            return refused(new Rejection(Rejection.Kind.INTERNAL_ERROR, "Internal error"));
        }
    }

    private CompletionStage<HttpResponse> send(HttpRequest request, String sealed, Decision.Send send, long now) {
        ControlChannelToken channel = send.channel();
        return bodies.read(request.entity(), rules.maxPayloadBytes()).thenCompose(body -> {
            if (body instanceof BodyReader.Body.TooLarge) {
                return refused(new Rejection(Rejection.Kind.PAYLOAD_TOO_LARGE,
                        "Control message exceeds " + rules.maxPayloadBytes() + " bytes"));
            }
            if (body instanceof BodyReader.Body.Unreadable) {
                return refused(new Rejection(Rejection.Kind.BAD_REQUEST, "Request body could not be read"));
            }
            byte[] payload = ((BodyReader.Body.Read) body).bytes();
            Optional<Rejection> size = rules.checkPayload(payload.length);
            if (size.isPresent()) {
                return refused(size.get());
            }
            return BoundedAsk.ask(() -> devices.enqueueControl(channel.deviceId(), channel.appId(),
                            channel.controlChannelId(), send.clientMessageId(), payload, now, send.expiresAtMillis(now)))
                    .thenApply(answer -> answer instanceof BoundedAsk.Answer.Replied<DeviceEntity.ControlSendReply> replied
                            ? sent(replied.reply(), sealed)
                            : deviceSideUnavailable(answer, channel));
        });
    }

    private HttpResponse sent(DeviceEntity.ControlSendReply reply, String sealed) {
        return switch (reply.result()) {
            case ACCEPTED, DUPLICATE -> HttpResponse.create()
                    .withStatus(reply.result() == DeviceEntity.ControlSendResult.ACCEPTED ? StatusCodes.CREATED : StatusCodes.OK)
                    .addHeader(RawHeader.create("X-Wakeline-Message-Id", reply.messageId()))
                    .addHeader(RawHeader.create("X-Wakeline-Sequence", String.valueOf(reply.seq())))
                    // raw: Location.create(String) parses the URI again, ~6 % of the node's CPU at load (JFR); the
                    // token and the id are URL-safe already
                    .addHeader(RawHeader.create("Location", "/" + ControlChannelUris.PATH_SEGMENT + "/" + sealed + "/"
                            + MESSAGES + "/" + reply.messageId()));
            case BACKLOG_FULL -> HttpResponse.create()
                    .withStatus(StatusCodes.TOO_MANY_REQUESTS)
                    .addHeader(RejectionRenderer.retryAfter(retryAfter))
                    .addHeader(RawHeader.create("X-Wakeline-Error", "backlog-full"))
                    .withEntity(Json.entity(error("backlog-full", "the channel holds " + reply.backlog()
                            + " messages not yet acked or expired; nothing was stored")));
            case CHANNEL_CLOSED -> HttpResponse.create()
                    .withStatus(StatusCodes.GONE)
                    .addHeader(RawHeader.create("X-Wakeline-Error", "channel-closed"))
                    .withEntity(Json.entity(error("channel-closed", "the device app closed this "
                            + "control channel (or the device reset its channels); nothing was stored. Stop sending to "
                            + "this URI; the app sends you a new one when it creates the channel again")));
        };
    }

    private CompletionStage<HttpResponse> status(Decision.Status status) {
        ControlChannelToken channel = status.channel();
        return BoundedAsk.ask(() -> devices.controlMessageStatus(channel.deviceId(), channel.appId(),
                        channel.controlChannelId(), status.messageId()))
                .thenApply(answer -> {
                    if (!(answer instanceof BoundedAsk.Answer.Replied<DeviceEntity.ControlMessageStatus> replied)) {
                        return deviceSideUnavailable(answer, channel);
                    }
                    MessageFate fate = replied.reply().fate();
                    if (fate == null) {
                        return REJECTIONS.render(new Rejection(Rejection.Kind.NOT_FOUND,
                                "No such message (or no longer retained)"));
                    }
                    return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(Json.entity(fateJson(fate)));
                });
    }

    /**
     * The fate as documented (docs/app-server-api.md "Fate"): {@code clientMessageId} only when the sender gave one,
     * times in epoch milliseconds or {@code null} when the message has not got there.
     */
    static ObjectNode fateJson(MessageFate fate) {
        ObjectNode json = Json.object().put("messageId", fate.messageId());
        if (!fate.clientMessageId().isEmpty()) {
            json.put("clientMessageId", fate.clientMessageId());
        }
        json.put("sequence", fate.seq()).put("state", fate.state().name());
        time(json, "acceptedAt", fate.acceptedAtMillis());
        time(json, "deliveredAt", fate.deliveredAtMillis());
        time(json, "ackedAt", fate.ackedAtMillis());
        time(json, "expiresAt", fate.expiresAtMillis());
        time(json, "expiredAt", fate.expiredAtMillis());
        return json;
    }

    private static void time(ObjectNode json, String name, long millis) {
        if (millis == 0) {
            json.putNull(name);
        } else {
            json.put(name, millis);
        }
    }

    /** No reply in time, or a failure: either way the message may or may not be stored, so the sender retries. */
    private HttpResponse deviceSideUnavailable(BoundedAsk.Answer<?> answer, ControlChannelToken channel) {
        if (answer instanceof BoundedAsk.Answer.Failed<?> failed) {
            log.error("device side failed deviceId={} appId={}", channel.deviceId(), channel.appId(), failed.cause());
        } else {
            log.warn("device side did not answer in time deviceId={} appId={}", channel.deviceId(), channel.appId());
        }
        return REJECTIONS.render(new Rejection(Rejection.Kind.UNAVAILABLE,
                "the device side did not answer in time; retry with the same X-Wakeline-Message-Id").withRetryAfter(retryAfter));
    }

    private static ObjectNode error(String error, String description) {
        return Json.object().put("error", error).put("description", description);
    }

    private static CompletionStage<HttpResponse> refused(Rejection rejection) {
        return CompletableFuture.completedFuture(REJECTIONS.render(rejection));
    }
}
