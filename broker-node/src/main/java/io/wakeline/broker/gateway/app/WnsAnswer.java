package io.wakeline.broker.gateway.app;

import io.wakeline.broker.device.DeviceConnectionStatus;
import io.wakeline.broker.device.PushOutcome;
import java.time.Duration;
import java.util.Optional;

/**
 * The answer to one WNS send, before it becomes HTTP: status code and the WNS headers that depend on
 * the outcome (wns-spec 3). The per-request headers (message id, debug trace, MS-CV) are added by the route.
 *
 * @param notificationStatus {@code X-WNS-Status} and its legacy twin {@code X-WNS-NotificationStatus}
 * @param deviceConnection   {@code X-WNS-DeviceConnectionStatus}, only when the sender asked for it
 * @param retryAfter         {@code Retry-After} (406, 503)
 * @param continueAfter      {@code X-WNS-CONTINUE-AFTER}: when a throttled channel takes notifications again
 */
public record WnsAnswer(
        int httpStatus,
        Optional<NotificationStatus> notificationStatus,
        Optional<DeviceConnectionStatus> deviceConnection,
        Optional<String> errorDescription,
        Optional<Duration> retryAfter,
        Optional<Duration> continueAfter) {

    /** {@code X-WNS-Status} values (wns-spec 3.1). */
    public enum NotificationStatus {
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

    /**
     * A refused send. The notification was not taken, so it is reported {@code dropped}, as WNS does on a
     * 403 (wns-spec 3.1, example from G1).
     */
    public static WnsAnswer rejected(WnsRequestRules.Rejection rejection) {
        return new WnsAnswer(rejection.kind().httpStatus(), Optional.of(NotificationStatus.DROPPED),
                Optional.empty(), Optional.of(rejection.description()), Optional.empty(), Optional.empty());
    }

    /** What the device side did with an accepted notification of any type. */
    public static WnsAnswer of(PushOutcome outcome, boolean requestForStatus) {
        if (outcome instanceof PushOutcome.Delivered delivered) {
            return accepted(NotificationStatus.RECEIVED, delivered.connection(), requestForStatus);
        }
        if (outcome instanceof PushOutcome.Stored stored) {
            return accepted(NotificationStatus.RECEIVED, stored.connection(), requestForStatus);
        }
        if (outcome instanceof PushOutcome.Dropped dropped) {
            return accepted(NotificationStatus.DROPPED, dropped.connection(), requestForStatus);
        }
        if (outcome instanceof PushOutcome.TargetClosed) {
            return new WnsAnswer(410, Optional.of(NotificationStatus.DROPPED), Optional.empty(),
                    Optional.of("Channel was closed by the app"), Optional.empty(), Optional.empty());
        }
        return new WnsAnswer(404, Optional.of(NotificationStatus.DROPPED), Optional.empty(),
                Optional.of("Channel URI is not valid"), Optional.empty(), Optional.empty());
    }

    /** The sender (the app's credentials) is over its rate: 406 with {@code Retry-After} (wns-spec 3.2, 4.15). */
    public static WnsAnswer senderThrottled(Duration retryAfter) {
        return new WnsAnswer(406, Optional.of(NotificationStatus.DROPPED), Optional.empty(),
                Optional.of("Sender exceeded its throttle limit"), Optional.of(retryAfter), Optional.empty());
    }

    /**
     * The channel is over its rate: the notification is dropped and reported {@code channelthrottled} with a 200,
     * like the other per-notification statuses, and {@code X-WNS-CONTINUE-AFTER} (wns-spec 3.1, 4.15).
     */
    public static WnsAnswer channelThrottled(Duration continueAfter) {
        return new WnsAnswer(200, Optional.of(NotificationStatus.CHANNEL_THROTTLED),
                Optional.empty(), Optional.of("Channel exceeded its throttle limit"), Optional.empty(),
                Optional.of(continueAfter));
    }

    /** The node is over its limit of sends in flight: 503 with {@code Retry-After} (wns-spec 3.2). */
    public static WnsAnswer overloaded(Duration retryAfter) {
        return new WnsAnswer(503, Optional.empty(), Optional.empty(),
                Optional.of("Service overloaded; retry later"), Optional.of(retryAfter), Optional.empty());
    }

    /**
     * The device side did not answer in time. 503 with {@code Retry-After}: the condition is transient
     * (entity recovering, shard moving) and a retry is the sender's right move. No {@code X-WNS-Status}:
     * the notification may or may not have reached the device.
     */
    public static WnsAnswer unavailable(Duration retryAfter) {
        return new WnsAnswer(503, Optional.empty(), Optional.empty(),
                Optional.of("Service temporarily unavailable; retry later"), Optional.of(retryAfter), Optional.empty());
    }

    /**
     * An unexpected failure (a bug, not a timeout): 500 without {@code Retry-After}, because nothing says
     * a retry would fare better, and a storm of retries against a bug helps no one.
     */
    public static WnsAnswer internalError() {
        return new WnsAnswer(500, Optional.empty(), Optional.empty(),
                Optional.of("Internal error"), Optional.empty(), Optional.empty());
    }

    private static WnsAnswer accepted(NotificationStatus status, DeviceConnectionStatus connection,
                                      boolean requestForStatus) {
        return new WnsAnswer(200, Optional.of(status),
                requestForStatus ? Optional.ofNullable(connection) : Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
