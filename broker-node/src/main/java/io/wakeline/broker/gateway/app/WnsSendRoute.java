package io.wakeline.broker.gateway.app;

import static akka.http.javadsl.server.Directives.completeWithFuture;
import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.extractUnmatchedPath;
import static akka.http.javadsl.server.Directives.pathPrefix;
import static akka.http.javadsl.server.Directives.reject;

import akka.actor.typed.ActorSystem;
import akka.stream.Materializer;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpProtocols;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaType;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.model.headers.HttpChallenge;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.model.headers.WWWAuthenticate;
import akka.http.javadsl.server.Route;
import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.WnsPush;
import io.wakeline.broker.gateway.app.WnsRequestRules.Decision;
import io.wakeline.broker.gateway.ratelimit.InFlightLimit;
import io.wakeline.broker.gateway.ratelimit.KeyedRateLimiter;
import io.wakeline.broker.gateway.ratelimit.TokenBucket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /w/<sealed channel token>}: the WNS send endpoint for toast, tile, badge and raw notifications
 * (wns-spec 2–4). {@link WnsRequestRules} decides on the request; then the sender's rate (406), the channel's
 * rate ({@code channelthrottled}) and the node's sends in flight (503) are checked; then the body is read and
 * the device side asked. Every answer carries {@code X-WNS-Msg-ID}, {@code X-WNS-Debug-Trace} and {@code MS-CV};
 * bodies are empty ({@code Content-Length: 0}).
 */
public final class WnsSendRoute {
    private static final Logger log = LoggerFactory.getLogger(WnsSendRoute.class);
    private static final String BEARER_REALM = "wns";

    private final Materializer materializer;
    private final WnsRequestRules rules;
    private final DeviceDirectory devices;
    private final MessageIds messageIds;
    private final String debugTrace;
    private final AppGatewaySettings settings;
    private final Clock clock;
    private final KeyedRateLimiter senderLimiter;
    private final KeyedRateLimiter channelLimiter;
    private final InFlightLimit inFlight;

    public WnsSendRoute(ActorSystem<?> system, WnsRequestRules rules, DeviceDirectory devices, MessageIds messageIds,
                        String debugTrace, AppGatewaySettings settings, Clock clock, InFlightLimit inFlight) {
        this.materializer = Materializer.matFromSystem(system);
        this.rules = rules;
        this.devices = devices;
        this.messageIds = messageIds;
        this.debugTrace = debugTrace;
        this.settings = settings;
        this.clock = clock;
        this.senderLimiter = KeyedRateLimiter.systemClock(settings.limits().sender(), settings.limits().maxTrackedKeys());
        this.channelLimiter = KeyedRateLimiter.systemClock(settings.limits().channel(), settings.limits().maxTrackedKeys());
        this.inFlight = inFlight;
    }

    public Route route() {
        return pathPrefix(ChannelUris.SEND_PATH_SEGMENT, () -> extractUnmatchedPath(rest -> {
            if (!rest.isEmpty() && !rest.startsWith("/")) {
                return reject(); // "/wfoo" is not ours
            }
            String sealed = rest.isEmpty() ? "" : rest.substring(1);
            return extractRequest(request -> completeWithFuture(handle(request, sealed)));
        }));
    }

    CompletionStage<HttpResponse> handle(HttpRequest request, String sealedChannel) {
        String msgId = messageIds.next();
        String correlationVector = CorrelationVector.echoOrCreate(request.getHeader("MS-CV").map(HttpHeader::value));
        try {
            long now = clock.millis();
            Decision decision = rules.checkHead(headOf(request, sealedChannel), now);
            if (decision instanceof Decision.Rejected rejected) {
                log.debug("WNS send rejected msgId={} status={} reason={}", msgId,
                        rejected.rejection().kind().httpStatus(), rejected.rejection().description());
                return answer(WnsAnswer.rejected(rejected.rejection()), msgId, correlationVector);
            }
            Decision.Accepted accepted = (Decision.Accepted) decision;
            var channel = accepted.channel();
            if (senderLimiter.tryTake(channel.appId()) instanceof TokenBucket.Admission.Limited limited) {
                log.debug("WNS sender throttled msgId={} appId={}", msgId, channel.appId());
                return answer(WnsAnswer.senderThrottled(Duration.ofSeconds(limited.retryAfterSeconds())), msgId,
                        correlationVector);
            }
            String channelKey = channel.deviceId() + "\n" + channel.appId() + "\n" + channel.channelId();
            if (channelLimiter.tryTake(channelKey) instanceof TokenBucket.Admission.Limited limited) {
                log.debug("WNS channel throttled msgId={} deviceId={} appId={}", msgId, channel.deviceId(), channel.appId());
                return answer(WnsAnswer.channelThrottled(Duration.ofSeconds(limited.retryAfterSeconds())), msgId,
                        correlationVector);
            }
            if (!inFlight.tryAcquire()) {
                log.warn("WNS send refused, node overloaded msgId={} inFlight={}", msgId, inFlight.inFlight());
                return answer(WnsAnswer.overloaded(settings.retryAfter()), msgId, correlationVector);
            }
            CompletionStage<WnsAnswer> answered;
            try {
                answered = readAndDeliver(request, accepted, msgId, now);
            } catch (RuntimeException e) {
                inFlight.release();
                throw e;
            }
            return answered.whenComplete((answer, failure) -> inFlight.release())
                    .thenApply(answer -> render(answer, msgId, correlationVector));
        } catch (RuntimeException e) {
            log.error("WNS send failed msgId={}", msgId, e);
            return answer(WnsAnswer.internalError(), msgId, correlationVector);
        }
    }

    private CompletionStage<WnsAnswer> readAndDeliver(HttpRequest request, Decision.Accepted accepted, String msgId,
                                                      long now) {
        return BoundedEntity.read(request.entity(), WnsRequestRules.MAX_PAYLOAD_BYTES, settings.drainLimit(),
                        settings.bodyTimeout(), materializer)
                .handle((payload, readFailure) -> {
                    if (readFailure != null) {
                        return CompletableFuture.completedFuture(bodyUnreadable(readFailure, msgId));
                    }
                    return rules.checkPayload(payload.length)
                            .map(rejection -> CompletableFuture.completedFuture(WnsAnswer.rejected(rejection)))
                            .orElseGet(() -> push(accepted, payload, msgId, now));
                })
                .thenCompose(stage -> stage);
    }

    private CompletableFuture<WnsAnswer> push(Decision.Accepted accepted, byte[] payload, String msgId, long now) {
        var channel = accepted.channel();
        var options = accepted.options();
        WnsPush push = new WnsPush(channel.deviceId(), channel.appId(), channel.channelId(), options.type(), payload,
                options.cachePolicy(), options.tag(), options.group(), options.priority(),
                options.expiresAtMillis(now, Push.NEVER), msgId, now);
        return BoundedDelivery.deliver(devices, push, settings.askTimeout())
                .handle((o, failure) -> {
                    if (failure == null && o != null) {
                        return WnsAnswer.of(o, accepted.options().requestForStatus());
                    }
                    Throwable cause = failure == null ? null : BoundedEntity.unwrap(failure);
                    if (cause instanceof TimeoutException) {
                        log.warn("Device side did not answer in time msgId={} deviceId={} appId={}",
                                msgId, channel.deviceId(), channel.appId());
                        return WnsAnswer.unavailable(settings.retryAfter());
                    }
                    log.error("Device side failed msgId={} deviceId={} appId={}", msgId, channel.deviceId(),
                            channel.appId(), cause);
                    return WnsAnswer.internalError();
                });
    }

    private WnsAnswer bodyUnreadable(Throwable failure, String msgId) {
        if (BoundedEntity.isTooLarge(failure)) {
            return WnsAnswer.rejected(new WnsRequestRules.Rejection(WnsRequestRules.Rejection.Kind.PAYLOAD_TOO_LARGE,
                    "Payload exceeds " + WnsRequestRules.MAX_PAYLOAD_BYTES + " bytes"));
        }
        log.debug("WNS send body unreadable msgId={}", msgId, failure);
        return WnsAnswer.rejected(new WnsRequestRules.Rejection(WnsRequestRules.Rejection.Kind.BAD_REQUEST,
                "Request body could not be read"));
    }

    private static WnsRequestRules.Head headOf(HttpRequest request, String sealedChannel) {
        Map<String, List<String>> headers = new HashMap<>();
        for (HttpHeader header : request.getHeaders()) {
            String name = header.lowercaseName();
            if (name.startsWith("x-wns-") || name.equals("authorization")) {
                headers.computeIfAbsent(name, n -> new ArrayList<>(1)).add(header.value());
            }
        }
        HttpEntity entity = request.entity();
        ContentType contentType = entity.getContentType();
        Optional<String> mediaType = contentType == ContentTypes.NO_CONTENT_TYPE
                ? Optional.empty()
                : Optional.of(mediaTypeOf(contentType.mediaType()));
        boolean chunked = request.protocol().equals(HttpProtocols.HTTP_1_1) && entity.isChunked();
        return new WnsRequestRules.Head(request.method().name(), sealedChannel, headers, mediaType,
                entity.getContentLengthOption(), chunked);
    }

    static String mediaTypeOf(MediaType mediaType) {
        return mediaType.mainType() + "/" + mediaType.subType();
    }

    private CompletionStage<HttpResponse> answer(WnsAnswer answer, String msgId, String correlationVector) {
        return CompletableFuture.completedFuture(render(answer, msgId, correlationVector));
    }

    private HttpResponse render(WnsAnswer answer, String msgId, String correlationVector) {
        List<HttpHeader> headers = new ArrayList<>(8);
        headers.add(RawHeader.create("X-WNS-Msg-ID", msgId));
        headers.add(RawHeader.create("X-WNS-Debug-Trace", debugTrace));
        headers.add(RawHeader.create("MS-CV", correlationVector));
        answer.notificationStatus().ifPresent(status -> {
            headers.add(RawHeader.create("X-WNS-Status", status.headerValue()));
            headers.add(RawHeader.create("X-WNS-NotificationStatus", status.headerValue()));
        });
        answer.deviceConnection().ifPresent(connection ->
                headers.add(RawHeader.create("X-WNS-DeviceConnectionStatus", connection.headerValue())));
        answer.errorDescription().ifPresent(description ->
                headers.add(RawHeader.create("X-WNS-Error-Description", description)));
        answer.retryAfter().ifPresent(delay -> headers.add(RetryAfter.create(Math.max(1L, delay.toSeconds()))));
        answer.continueAfter().ifPresent(delay ->
                headers.add(RawHeader.create("X-WNS-CONTINUE-AFTER", String.valueOf(Math.max(1L, delay.toSeconds())))));
        if (answer.httpStatus() == StatusCodes.METHOD_NOT_ALLOWED.intValue()) {
            headers.add(Allow.create(HttpMethods.POST));
        }
        if (answer.httpStatus() == StatusCodes.UNAUTHORIZED.intValue()) {
            headers.add(WWWAuthenticate.create(HttpChallenge.create("Bearer", BEARER_REALM)));
        }
        return HttpResponse.create().withStatus(answer.httpStatus()).addHeaders(headers);
    }
}
