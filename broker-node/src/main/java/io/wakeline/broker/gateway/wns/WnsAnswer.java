package io.wakeline.broker.gateway.wns;

import io.wakeline.broker.device.DeviceConnectionStatus;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.gateway.http.Rejection;
import java.time.Duration;
import java.util.Optional;

/**
 * The answer to one WNS send, before it becomes HTTP (wns-spec 3): a notification the service took, with its
 * {@code X-WNS-Status}, or a refused request. The per-request headers (message id, debug trace, MS-CV) are added by
 * the route.
 */
public sealed interface WnsAnswer {

    /**
     * 200: the request was good and the notification has a fate.
     *
     * @param status           {@code X-WNS-Status} and its legacy twin {@code X-WNS-NotificationStatus}
     * @param deviceConnection {@code X-WNS-DeviceConnectionStatus}, only when the sender asked for it
     * @param errorDescription {@code X-WNS-Error-Description}
     * @param continueAfter    {@code X-WNS-CONTINUE-AFTER}: when a throttled channel takes notifications again
     */
    record Accepted(NotificationStatus status, Optional<DeviceConnectionStatus> deviceConnection,
                    Optional<String> errorDescription, Optional<Duration> continueAfter) implements WnsAnswer {
    }

    /**
     * Anything else. A refused notification was not taken, so it is reported {@code dropped}, as WNS does on a 403
     * (wns-spec 3.1, example from G1); a 500 or 503 says nothing about it (the renderer's WNS form).
     */
    record Refused(Rejection rejection) implements WnsAnswer {
    }

    /** {@code X-WNS-Status} values (wns-spec 3.1). */
    enum NotificationStatus {
        RECEIVED("received"),
        DROPPED("dropped"),
        CHANNEL_THROTTLED("channelthrottled");

        private final String headerValue;

        NotificationStatus(String headerValue) {
            this.headerValue = headerValue;
        }

        public String headerValue() {
            return headerValue;
        }
    }

    /** What the device side did with an accepted notification of any type. */
    static WnsAnswer of(PushOutcome outcome, WnsRequestRules.StatusRequest statusRequest) {
        if (outcome instanceof PushOutcome.Delivered delivered) {
            return accepted(NotificationStatus.RECEIVED, delivered.connection(), statusRequest);
        }
        if (outcome instanceof PushOutcome.Stored stored) {
            return accepted(NotificationStatus.RECEIVED, stored.connection(), statusRequest);
        }
        if (outcome instanceof PushOutcome.Dropped dropped) {
            return accepted(NotificationStatus.DROPPED, dropped.connection(), statusRequest);
        }
        if (outcome instanceof PushOutcome.TargetClosed) {
            return new Refused(new Rejection(Rejection.Kind.GONE, "Channel was closed by the app"));
        }
        return new Refused(new Rejection(Rejection.Kind.NOT_FOUND, "Channel URI is not valid"));
    }

    /** The sender (the app's credentials) is over its rate: 406 with {@code Retry-After} (wns-spec 3.2, 4.15). */
    static WnsAnswer senderThrottled(Duration retryAfter) {
        return new Refused(new Rejection(Rejection.Kind.NOT_ACCEPTABLE, "Sender exceeded its throttle limit")
                .withRetryAfter(retryAfter));
    }

    /**
     * The channel is over its rate: the notification is dropped and reported {@code channelthrottled} with a 200,
     * like the other per-notification statuses, and {@code X-WNS-CONTINUE-AFTER} (wns-spec 3.1, 4.15).
     */
    static WnsAnswer channelThrottled(Duration continueAfter) {
        return new Accepted(NotificationStatus.CHANNEL_THROTTLED, Optional.empty(),
                Optional.of("Channel exceeded its throttle limit"), Optional.of(continueAfter));
    }

    /** The node is over its limit of sends in flight: 503 with {@code Retry-After} (wns-spec 3.2). */
    static WnsAnswer overloaded(Duration retryAfter) {
        return new Refused(new Rejection(Rejection.Kind.UNAVAILABLE, "Service overloaded; retry later")
                .withRetryAfter(retryAfter));
    }

    /**
     * The device side did not answer in time. 503 with {@code Retry-After}: the condition is transient
     * (entity recovering, shard moving) and a retry is the sender's right move.
     */
    static WnsAnswer unavailable(Duration retryAfter) {
        return new Refused(new Rejection(Rejection.Kind.UNAVAILABLE, "Service temporarily unavailable; retry later")
                .withRetryAfter(retryAfter));
    }

    /**
     * An unexpected failure (a bug, not a timeout): 500 without {@code Retry-After}, because nothing says
     * a retry would fare better, and a storm of retries against a bug helps no one.
     */
    static WnsAnswer internalError() {
        return new Refused(new Rejection(Rejection.Kind.INTERNAL_ERROR, "Internal error"));
    }

    private static WnsAnswer accepted(NotificationStatus status, DeviceConnectionStatus connection,
                                      WnsRequestRules.StatusRequest statusRequest) {
        return new Accepted(status, statusRequest == WnsRequestRules.StatusRequest.DEVICE_CONNECTION
                ? Optional.ofNullable(connection) : Optional.empty(),
                Optional.empty(), Optional.empty());
    }
}
