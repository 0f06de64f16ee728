package io.wakeline.broker.gateway.app;

import static akka.http.javadsl.server.Directives.completeWithFuture;
import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.extractUnmatchedPath;
import static akka.http.javadsl.server.Directives.pathPrefix;
import static akka.http.javadsl.server.Directives.reject;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpProtocols;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.model.headers.HttpChallenge;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.model.headers.WWWAuthenticate;
import akka.http.javadsl.server.Route;
import akka.stream.Materializer;
import io.wakeline.broker.channel.ControlChannelToken;
import io.wakeline.broker.device.ControlChannelDirectory;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.control.MessageFate;
import io.wakeline.broker.gateway.app.ControlChannelRequestRules.Decision;
import io.wakeline.broker.gateway.app.ControlChannelRequestRules.Rejection;
import io.wakeline.broker.gateway.ratelimit.InFlightLimit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 */
public final class ControlChannelRoute {
    private static final Logger log = LoggerFactory.getLogger(ControlChannelRoute.class);
    private static final String MESSAGES = "messages";

    private final Materializer materializer;
    private final ControlChannelRequestRules rules;
    private final ControlChannelDirectory devices;
    private final AppGatewaySettings settings;
    private final Clock clock;
    private final InFlightLimit inFlight;

    public ControlChannelRoute(ActorSystem<?> system, ControlChannelRequestRules rules, ControlChannelDirectory devices,
                               AppGatewaySettings settings, Clock clock, InFlightLimit inFlight) {
        this.materializer = Materializer.matFromSystem(system);
        this.rules = rules;
        this.devices = devices;
        this.settings = settings;
        this.clock = clock;
        this.inFlight = inFlight;
    }

    public Route route() {
        return pathPrefix(ControlChannelUris.PATH_SEGMENT, () -> extractUnmatchedPath(rest -> {
            if (!rest.isEmpty() && !rest.startsWith("/")) {
                return reject();
            }
            String[] parts = rest.isEmpty() ? new String[] {""} : rest.substring(1).split("/", -1);
            Optional<String> messageId;
            if (parts.length == 1) {
                messageId = Optional.empty();
            } else if (parts.length == 3 && parts[1].equals(MESSAGES)) {
                messageId = Optional.of(parts[2]);
            } else {
                return extractRequest(request -> completeWithFuture(CompletableFuture.completedFuture(
                        error(new Rejection(Rejection.Kind.NOT_FOUND, "No such resource")))));
            }
            String sealed = parts[0];
            return extractRequest(request -> completeWithFuture(handle(request, sealed, messageId)));
        }));
    }

    CompletionStage<HttpResponse> handle(HttpRequest request, String sealed, Optional<String> messageId) {
        try {
            long now = clock.millis();
            Decision decision = rules.check(headOf(request, sealed, messageId), now);
            if (decision instanceof Decision.Rejected rejected) {
                request.discardEntityBytes(materializer);
                return CompletableFuture.completedFuture(error(rejected.rejection()));
            }
            if (decision instanceof Decision.Status status) {
                request.discardEntityBytes(materializer);
                return status(sealed, status);
            }
            Decision.Send send = (Decision.Send) decision;
            if (!inFlight.tryAcquire()) {
                request.discardEntityBytes(materializer);
                return CompletableFuture.completedFuture(unavailable("node overloaded"));
            }
            return send(request, sealed, send, now).whenComplete((r, f) -> inFlight.release());
        } catch (RuntimeException e) {
            log.error("control channel request failed", e);
            return CompletableFuture.completedFuture(HttpResponse.create().withStatus(StatusCodes.INTERNAL_SERVER_ERROR));
        }
    }

    private CompletionStage<HttpResponse> send(HttpRequest request, String sealed, Decision.Send send, long now) {
        ControlChannelToken channel = send.channel();
        return BoundedEntity.read(request.entity(), rules.maxPayloadBytes(), settings.drainLimit(), settings.bodyTimeout(),
                        materializer)
                .handle((payload, readFailure) -> {
                    if (readFailure != null) {
                        Rejection rejection = BoundedEntity.isTooLarge(readFailure)
                                ? new Rejection(Rejection.Kind.PAYLOAD_TOO_LARGE, "Control message exceeds "
                                        + rules.maxPayloadBytes() + " bytes")
                                : new Rejection(Rejection.Kind.BAD_REQUEST, "Request body could not be read");
                        return CompletableFuture.completedFuture(error(rejection));
                    }
                    Optional<Rejection> size = rules.checkPayload(payload.length);
                    if (size.isPresent()) {
                        return CompletableFuture.completedFuture(error(size.get()));
                    }
                    return bounded(devices.enqueueControl(channel.deviceId(), channel.appId(), channel.controlChannelId(),
                            send.clientMessageId(), payload, now, send.expiresAtMillis(now)))
                            .handle((reply, failure) -> failure != null
                                    ? deviceSideFailed(failure, channel)
                                    : sent(reply, sealed));
                })
                .thenCompose(stage -> stage);
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
                    .addHeader(RetryAfter.create(Math.max(1L, settings.retryAfter().toSeconds())))
                    .addHeader(RawHeader.create("X-Wakeline-Error", "backlog-full"))
                    .withEntity(json("{\"error\":\"backlog-full\",\"description\":\"the channel holds " + reply.backlog()
                            + " messages not yet acked or expired; nothing was stored\"}"));
            case CHANNEL_CLOSED -> HttpResponse.create()
                    .withStatus(StatusCodes.GONE)
                    .addHeader(RawHeader.create("X-Wakeline-Error", "channel-closed"))
                    .withEntity(json("{\"error\":\"channel-closed\",\"description\":\"the device app closed this "
                            + "control channel (or the device reset its channels); nothing was stored. Stop sending to "
                            + "this URI; the app sends you a new one when it creates the channel again\"}"));
        };
    }

    private CompletionStage<HttpResponse> status(String sealed, Decision.Status status) {
        ControlChannelToken channel = status.channel();
        return bounded(devices.controlMessageStatus(channel.deviceId(), channel.appId(), channel.controlChannelId(),
                        status.messageId()))
                .handle((reply, failure) -> {
                    if (failure != null) {
                        return deviceSideFailed(failure, channel);
                    }
                    if (reply.fate() == null) {
                        return error(new Rejection(Rejection.Kind.NOT_FOUND, "No such message (or no longer retained)"));
                    }
                    return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(json(fateJson(reply.fate())));
                });
    }

    static String fateJson(MessageFate fate) {
        StringBuilder json = new StringBuilder(256).append('{');
        json.append("\"messageId\":\"").append(fate.messageId()).append('"');
        if (!fate.clientMessageId().isEmpty()) {
            json.append(",\"clientMessageId\":\"").append(fate.clientMessageId()).append('"'); // charset checked on send
        }
        json.append(",\"sequence\":").append(fate.seq());
        json.append(",\"state\":\"").append(fate.state().name()).append('"');
        time(json, "acceptedAt", fate.acceptedAtMillis());
        time(json, "deliveredAt", fate.deliveredAtMillis());
        time(json, "ackedAt", fate.ackedAtMillis());
        time(json, "expiresAt", fate.expiresAtMillis());
        time(json, "expiredAt", fate.expiredAtMillis());
        return json.append('}').toString();
    }

    private static void time(StringBuilder json, String name, long millis) {
        json.append(",\"").append(name).append("\":").append(millis == 0 ? "null" : String.valueOf(millis));
    }

    private <T> CompletableFuture<T> bounded(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(settings.askTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private HttpResponse deviceSideFailed(Throwable failure, ControlChannelToken channel) {
        Throwable cause = BoundedEntity.unwrap(failure);
        if (cause instanceof TimeoutException || cause instanceof akka.pattern.AskTimeoutException) {
            log.warn("device side did not answer in time deviceId={} appId={}", channel.deviceId(), channel.appId());
        } else {
            log.error("device side failed deviceId={} appId={}", channel.deviceId(), channel.appId(), cause);
        }
        return unavailable("the device side did not answer in time; retry with the same X-Wakeline-Message-Id");
    }

    private HttpResponse unavailable(String description) {
        return HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE)
                .addHeader(RetryAfter.create(Math.max(1L, settings.retryAfter().toSeconds())))
                .withEntity(json("{\"error\":\"unavailable\",\"description\":\"" + description + "\"}"));
    }

    private static HttpResponse error(Rejection rejection) {
        List<HttpHeader> headers = new ArrayList<>(2);
        if (rejection.kind() == Rejection.Kind.UNAUTHORIZED) {
            headers.add(WWWAuthenticate.create(HttpChallenge.create("Bearer", "wakeline")));
        }
        if (rejection.kind() == Rejection.Kind.METHOD_NOT_ALLOWED) {
            headers.add(Allow.create(HttpMethods.POST, HttpMethods.GET));
        }
        return HttpResponse.create().withStatus(rejection.kind().httpStatus()).addHeaders(headers)
                .withEntity(json("{\"error\":\"" + rejection.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + "\",\"description\":\"" + rejection.description().replace("\"", "'") + "\"}"));
    }

    private static HttpEntity.Strict json(String body) {
        return HttpEntities.create(ContentTypes.APPLICATION_JSON, body);
    }

    private static ControlChannelRequestRules.Head headOf(HttpRequest request, String sealed, Optional<String> messageId) {
        Map<String, List<String>> headers = new HashMap<>();
        for (HttpHeader header : request.getHeaders()) {
            String name = header.lowercaseName();
            if (name.startsWith("x-wakeline-") || name.equals("authorization")) {
                headers.computeIfAbsent(name, n -> new ArrayList<>(1)).add(header.value());
            }
        }
        HttpEntity entity = request.entity();
        ContentType contentType = entity.getContentType();
        Optional<String> mediaType = contentType == ContentTypes.NO_CONTENT_TYPE
                ? Optional.empty()
                : Optional.of(WnsSendRoute.mediaTypeOf(contentType.mediaType()));
        boolean chunked = request.protocol().equals(HttpProtocols.HTTP_1_1) && entity.isChunked();
        return new ControlChannelRequestRules.Head(request.method().name(), sealed, messageId, headers, mediaType,
                entity.getContentLengthOption(), chunked);
    }
}
