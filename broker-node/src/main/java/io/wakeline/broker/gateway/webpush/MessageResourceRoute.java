package io.wakeline.broker.gateway.webpush;

import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.gateway.http.BoundedAsk;
import io.wakeline.broker.gateway.http.Json;
import io.wakeline.broker.gateway.http.Rejection;
import io.wakeline.broker.gateway.http.RejectionRenderer;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET|DELETE /wp/m/<message>}: a Web Push message resource (RFC 8030 §5, the {@code Location} of an accepted
 * send). 200 {@code {"messageId":…,"state":"pending"}} / 204 while the message is stored, undelivered and unexpired;
 * 404 once delivered, expired, replaced or deleted (docs/app-server-api.md §5.4). The URL is the capability.
 */
public final class MessageResourceRoute {
    private static final Logger log = LoggerFactory.getLogger(MessageResourceRoute.class);
    /** Path segment of the message resources under {@code /wp}. */
    static final String PATH_SEGMENT = "m";

    private final DeviceDirectory devices;
    private final MessageResourceSealer messages;
    private final Duration retryAfter;
    private final RejectionRenderer rejections;
    private final Clock clock;

    /** @param retryAfter the {@code Retry-After} of a 503 */
    public MessageResourceRoute(DeviceDirectory devices, MessageResourceSealer messages, WebPushSettings settings,
                                Duration retryAfter, Clock clock) {
        this.devices = devices;
        this.messages = messages;
        this.retryAfter = retryAfter;
        this.rejections = WebPushRoute.rejections(settings, HttpMethods.GET, HttpMethods.DELETE);
        this.clock = clock;
    }

    CompletionStage<HttpResponse> handle(HttpRequest request, String sealedMessage) {
        Optional<DeviceEntity.MessageAction> action = actionOf(request);
        if (action.isEmpty()) {
            return refused(new Rejection(Rejection.Kind.METHOD_NOT_ALLOWED,
                    "Only GET and DELETE are supported on a message resource"));
        }
        Optional<MessageResourceToken> token = messages.open(sealedMessage);
        if (token.isEmpty() || clock.millis() >= token.get().expiresAtMillis()) {
            return refused(new Rejection(Rejection.Kind.NOT_FOUND, "No such pending message"));
        }
        MessageResourceToken message = token.get();
        return BoundedAsk.ask(() -> devices.manageWebPushMessage(message.deviceId(), message.subscriptionId(),
                        message.messageId(), action.get()))
                .thenApply(answer -> {
                    if (answer instanceof BoundedAsk.Answer.Failed<DeviceEntity.StoredWebPushMessage> failed) {
                        log.error("Device side failed deviceId={}", message.deviceId(), failed.cause());
                        return rejections.render(new Rejection(Rejection.Kind.INTERNAL_ERROR, "Internal error"));
                    }
                    if (!(answer instanceof BoundedAsk.Answer.Replied<DeviceEntity.StoredWebPushMessage> replied)) {
                        log.warn("Device side did not answer in time deviceId={}", message.deviceId());
                        return rejections.render(new Rejection(Rejection.Kind.UNAVAILABLE,
                                "Service temporarily unavailable; retry later").withRetryAfter(retryAfter));
                    }
                    if (!replied.reply().pending()) {
                        return rejections.render(new Rejection(Rejection.Kind.NOT_FOUND,
                                "No such pending message (delivered, expired, replaced or deleted)"));
                    }
                    if (action.get() == DeviceEntity.MessageAction.Delete) {
                        return HttpResponse.create().withStatus(204);
                    }
                    return HttpResponse.create().withStatus(200).withEntity(Json.entity(Json.object()
                            .put("messageId", message.messageId())
                            .put("state", "pending")));
                });
    }

    private static Optional<DeviceEntity.MessageAction> actionOf(HttpRequest request) {
        if (request.method().equals(HttpMethods.GET)) {
            return Optional.of(DeviceEntity.MessageAction.Query);
        }
        if (request.method().equals(HttpMethods.DELETE)) {
            return Optional.of(DeviceEntity.MessageAction.Delete);
        }
        return Optional.empty();
    }

    private CompletionStage<HttpResponse> refused(Rejection rejection) {
        return CompletableFuture.completedFuture(rejections.render(rejection));
    }
}
