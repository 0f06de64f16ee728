package io.wakeline.broker.gateway.http;

import java.time.Duration;
import java.util.Optional;

/**
 * A refused request, as a rule or a route decides it: which refusal, what the answer says about it, and when to
 * come back. Plain Java; {@link RejectionRenderer} turns it into the endpoint's documented answer.
 *
 * @param description what was wrong, for the sender (an error header or the error body's text)
 * @param retryAfter  {@code Retry-After}, for a refusal that a later retry may overcome
 */
public record Rejection(Kind kind, String description, Optional<Duration> retryAfter) {

    public Rejection(Kind kind, String description) {
        this(kind, description, Optional.empty());
    }

    public Rejection withRetryAfter(Duration delay) {
        return new Rejection(kind, description, Optional.of(delay));
    }

    /** The refusals the gateways answer with, each with its HTTP status. */
    public enum Kind {
        BAD_REQUEST(400),
        /** No or unusable credentials: also carries the endpoint's {@code WWW-Authenticate} challenge. */
        UNAUTHORIZED(401),
        FORBIDDEN(403),
        NOT_FOUND(404),
        /** Also carries the endpoint's {@code Allow}. */
        METHOD_NOT_ALLOWED(405),
        /** The WNS sender over its rate (wns-spec 3.2). */
        NOT_ACCEPTABLE(406),
        /** Expired or removed: 410, or 404 where an endpoint is configured so (Web Push, RFC 8030 §7.3). */
        GONE(410),
        PAYLOAD_TOO_LARGE(413),
        UNSUPPORTED_MEDIA_TYPE(415),
        TOO_MANY_REQUESTS(429),
        /** An unexpected failure, a bug rather than a timeout. */
        INTERNAL_ERROR(500),
        /** The node is overloaded, or the device side did not answer in time. */
        UNAVAILABLE(503);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }
}
