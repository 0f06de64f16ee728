package io.wakeline.broker.gateway.wns;

import static akka.http.javadsl.server.Directives.completeWithFuture;
import static akka.http.javadsl.server.Directives.extractRequest;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.WnsPush;
import io.wakeline.broker.gateway.http.BodyReader;
import io.wakeline.broker.gateway.http.BoundedAsk;
import io.wakeline.broker.gateway.http.HeadReader;
import io.wakeline.broker.gateway.http.MessageIds;
import io.wakeline.broker.gateway.http.Rejection;
import io.wakeline.broker.gateway.http.RejectionRenderer;
import io.wakeline.broker.gateway.http.ResourcePath;
import io.wakeline.broker.gateway.ratelimit.InFlightLimit;
import io.wakeline.broker.gateway.ratelimit.KeyedRateLimiter;
import io.wakeline.broker.gateway.ratelimit.SendLimits;
import io.wakeline.broker.gateway.ratelimit.TokenBucket;
import io.wakeline.broker.gateway.wns.WnsRequestRules.Decision;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
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
    private static final Predicate<String> READ_HEADERS = name -> name.startsWith("x-wns-") || name.equals("authorization");
    private static final RejectionRenderer REJECTIONS = new RejectionRenderer(RejectionRenderer.Form.WNS_HEADERS,
            RejectionRenderer.bearerChallenge("wns"), List.of(HttpMethods.POST), 410);

    private final WnsRequestRules rules;
    private final DeviceDirectory devices;
    private final MessageIds messageIds;
    private final String debugTrace;
    private final BodyReader bodies;
    private final Duration retryAfter;
    private final Clock clock;
    private final KeyedRateLimiter senderLimiter;
    private final KeyedRateLimiter channelLimiter;
    private final InFlightLimit inFlight;

    /**
     * @param debugTrace the {@code X-WNS-Debug-Trace} naming this node
     * @param retryAfter the {@code Retry-After} of a 503
     */
    public WnsSendRoute(WnsRequestRules rules, DeviceDirectory devices, MessageIds messageIds, String debugTrace,
                        BodyReader bodies, Duration retryAfter, SendLimits limits, InFlightLimit inFlight, Clock clock) {
        this.rules = rules;
        this.devices = devices;
        this.messageIds = messageIds;
        this.debugTrace = debugTrace;
        this.bodies = bodies;
        this.retryAfter = retryAfter;
        this.clock = clock;
        this.senderLimiter = KeyedRateLimiter.systemClock(limits.sender(), limits.maxTrackedKeys());
        this.channelLimiter = KeyedRateLimiter.systemClock(limits.channel(), limits.maxTrackedKeys());
        this.inFlight = inFlight;
    }

    public Route route() {
        return ResourcePath.below(ChannelUris.SEND_PATH_SEGMENT, segments -> extractRequest(request ->
                completeWithFuture(handle(request, String.join("/", segments)))));
    }

    CompletionStage<HttpResponse> handle(HttpRequest request, String sealedChannel) {
        String msgId = messageIds.next();
        String correlationVector = CorrelationVector.echoOrCreate(request.getHeader("MS-CV").map(HttpHeader::value));
        try {
            return answer(request, sealedChannel, msgId)
                    .thenApply(answer -> render(answer, msgId, correlationVector));
        } catch (RuntimeException e) {
            log.error("WNS send failed msgId={}", msgId, e);
            return CompletableFuture.completedFuture(render(WnsAnswer.internalError(), msgId, correlationVector));
        }
    }

    private CompletionStage<WnsAnswer> answer(HttpRequest request, String sealedChannel, String msgId) {
        long now = clock.millis();
        Decision decision = rules.checkHead(HeadReader.read(request, READ_HEADERS), sealedChannel, now);
        if (decision instanceof Decision.Rejected rejected) {
            log.debug("WNS send rejected msgId={} kind={} reason={}", msgId, rejected.rejection().kind(),
                    rejected.rejection().description());
            return done(new WnsAnswer.Refused(rejected.rejection()));
        }
        Decision.Accepted accepted = (Decision.Accepted) decision;
        ChannelToken channel = accepted.channel();
        if (senderLimiter.tryTake(channel.appId()) instanceof TokenBucket.Admission.Limited limited) {
            log.debug("WNS sender throttled msgId={} appId={}", msgId, channel.appId());
            return done(WnsAnswer.senderThrottled(Duration.ofSeconds(limited.retryAfterSeconds())));
        }
        String channelKey = channel.deviceId() + "\n" + channel.appId() + "\n" + channel.channelId();
        if (channelLimiter.tryTake(channelKey) instanceof TokenBucket.Admission.Limited limited) {
            log.debug("WNS channel throttled msgId={} deviceId={} appId={}", msgId, channel.deviceId(), channel.appId());
            return done(WnsAnswer.channelThrottled(Duration.ofSeconds(limited.retryAfterSeconds())));
        }
        return inFlight.tryRun(() -> readAndDeliver(request, accepted, msgId, now)).orElseGet(() -> {
            log.warn("WNS send refused, node overloaded msgId={} inFlight={}", msgId, inFlight.inFlight());
            return done(WnsAnswer.overloaded(retryAfter));
        });
    }

    private CompletionStage<WnsAnswer> readAndDeliver(HttpRequest request, Decision.Accepted accepted, String msgId,
                                                      long now) {
        return bodies.read(request.entity(), WnsRequestRules.MAX_PAYLOAD_BYTES).thenCompose(body -> {
            if (body instanceof BodyReader.Body.TooLarge) {
                return done(new WnsAnswer.Refused(new Rejection(Rejection.Kind.PAYLOAD_TOO_LARGE,
                        "Payload exceeds " + WnsRequestRules.MAX_PAYLOAD_BYTES + " bytes")));
            }
            if (body instanceof BodyReader.Body.Unreadable unreadable) {
                log.debug("WNS send body unreadable msgId={}", msgId, unreadable.cause());
                return done(new WnsAnswer.Refused(new Rejection(Rejection.Kind.BAD_REQUEST, "Request body could not be read")));
            }
            byte[] payload = ((BodyReader.Body.Read) body).bytes();
            return rules.checkPayload(payload.length)
                    .<CompletionStage<WnsAnswer>>map(rejection -> done(new WnsAnswer.Refused(rejection)))
                    .orElseGet(() -> push(accepted, payload, msgId, now));
        });
    }

    private CompletionStage<WnsAnswer> push(Decision.Accepted accepted, byte[] payload, String msgId, long now) {
        ChannelToken channel = accepted.channel();
        WnsRequestRules.WnsSendOptions options = accepted.options();
        WnsPush push = new WnsPush(channel.deviceId(), channel.appId(), channel.channelId(), options.type(), payload,
                options.cachePolicy(), options.tag(), options.group(), options.priority(),
                options.expiresAtMillis(now, Push.NEVER), msgId, now);
        return BoundedAsk.<PushOutcome>ask(() -> devices.deliver(push)).thenApply(answer -> {
            if (answer instanceof BoundedAsk.Answer.Replied<PushOutcome> replied) {
                return WnsAnswer.of(replied.reply(), options.statusRequest());
            }
            if (answer instanceof BoundedAsk.Answer.Failed<PushOutcome> failed) {
                log.error("Device side failed msgId={} deviceId={} appId={}", msgId, channel.deviceId(), channel.appId(),
                        failed.cause());
                return WnsAnswer.internalError();
            }
            log.warn("Device side did not answer in time msgId={} deviceId={} appId={}", msgId, channel.deviceId(),
                    channel.appId());
            return WnsAnswer.unavailable(retryAfter);
        });
    }

    private static CompletionStage<WnsAnswer> done(WnsAnswer answer) {
        return CompletableFuture.completedFuture(answer);
    }

    private HttpResponse render(WnsAnswer answer, String msgId, String correlationVector) {
        List<HttpHeader> headers = new ArrayList<>(10);
        headers.add(RawHeader.create("X-WNS-Msg-ID", msgId));
        headers.add(RawHeader.create("X-WNS-Debug-Trace", debugTrace));
        headers.add(RawHeader.create("MS-CV", correlationVector));
        if (answer instanceof WnsAnswer.Refused refused) {
            HttpResponse response = REJECTIONS.render(refused.rejection());
            response.getHeaders().forEach(headers::add);
            return response.withHeaders(headers);
        }
        WnsAnswer.Accepted accepted = (WnsAnswer.Accepted) answer;
        headers.add(RawHeader.create("X-WNS-Status", accepted.status().headerValue()));
        headers.add(RawHeader.create("X-WNS-NotificationStatus", accepted.status().headerValue()));
        accepted.deviceConnection().ifPresent(connection ->
                headers.add(RawHeader.create("X-WNS-DeviceConnectionStatus", connection.headerValue())));
        accepted.errorDescription().ifPresent(description ->
                headers.add(RawHeader.create("X-WNS-Error-Description", description)));
        accepted.continueAfter().ifPresent(delay ->
                headers.add(RawHeader.create("X-WNS-CONTINUE-AFTER", String.valueOf(Math.max(1L, delay.toSeconds())))));
        return HttpResponse.create().withStatus(200).addHeaders(headers);
    }
}
