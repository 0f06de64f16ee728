package io.wakeline.broker.gateway.events;

import io.wakeline.broker.gateway.app.AccessToken;
import io.wakeline.broker.gateway.app.AccessTokenSealer;
import java.util.List;
import java.util.Optional;

/**
 * Decides on a {@code GET /events} request: whose stream (the app of the bearer access token, the same OAuth
 * token as for sends) and where it resumes ({@code Last-Event-ID}, else {@code ?after=}, else from the start).
 */
public final class EventStreamRequestRules {
    private static final String BEARER = "Bearer ";
    /** Sequence numbers are positive longs: 19 digits at most. */
    private static final int MAX_ID_LENGTH = 19;

    private final AccessTokenSealer accessTokens;

    public EventStreamRequestRules(AccessTokenSealer accessTokens) {
        this.accessTokens = accessTokens;
    }

    /** The parts of the request the rules look at; header lists hold every occurrence. */
    public record Head(List<String> authorization, List<String> lastEventId, Optional<String> after) {
    }

    public sealed interface Decision {
        /** Stream {@code appId}'s events with event ids above {@code afterEventId}. */
        record Open(String appId, long afterEventId) implements Decision {
        }

        record Rejected(Kind kind, String description) implements Decision {
        }

        enum Kind {
            UNAUTHORIZED(401), BAD_REQUEST(400);

            private final int httpStatus;

            Kind(int httpStatus) {
                this.httpStatus = httpStatus;
            }

            public int httpStatus() {
                return httpStatus;
            }
        }
    }

    public Decision check(Head head, long nowMillis) {
        if (head.authorization().size() != 1) {
            return unauthorized(head.authorization().isEmpty()
                    ? "Missing Authorization header" : "More than one Authorization header");
        }
        String credentials = head.authorization().get(0);
        if (credentials.length() <= BEARER.length()
                || !credentials.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return unauthorized("Authorization must be a Bearer access token");
        }
        String sealed = credentials.substring(BEARER.length()).trim();
        if (sealed.length() > AccessTokenSealer.MAX_SEALED_LENGTH
                || !(accessTokens.open(sealed) instanceof AccessTokenSealer.Opened.Valid valid)) {
            return unauthorized("Invalid access token");
        }
        AccessToken token = valid.token();
        if (token.isExpiredAt(nowMillis)) {
            return unauthorized("Access token expired");
        }
        Resume resume = resumeFrom(head.lastEventId(), head.after());
        if (resume instanceof Resume.Invalid invalid) {
            return badRequest(invalid.description());
        }
        return new Decision.Open(token.packageSid(), ((Resume.After) resume).eventId());
    }

    /** Where an event stream resumes: after an event id, or (0) from the start; or why the request is invalid. */
    public sealed interface Resume {
        record After(long eventId) implements Resume {
        }

        record Invalid(String description) implements Resume {
        }
    }

    /**
     * {@code Last-Event-ID} (every occurrence), else {@code ?after=}, else from the start; shared by every event
     * stream of the gateway ({@code /events}, Web Push receipt subscriptions).
     */
    public static Resume resumeFrom(List<String> lastEventId, Optional<String> after) {
        if (lastEventId.size() > 1) {
            return new Resume.Invalid("More than one Last-Event-ID header");
        }
        Optional<String> resume = lastEventId.isEmpty() ? after : Optional.of(lastEventId.get(0));
        if (resume.isEmpty() || resume.get().isBlank()) {
            return new Resume.After(0);
        }
        Optional<Long> eventId = eventId(resume.get().trim());
        if (eventId.isEmpty()) {
            return new Resume.Invalid("Last-Event-ID / after must be an event id (a non-negative integer)");
        }
        return new Resume.After(eventId.get());
    }

    private static Optional<Long> eventId(String text) {
        if (text.isEmpty() || text.length() > MAX_ID_LENGTH || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Decision unauthorized(String description) {
        return new Decision.Rejected(Decision.Kind.UNAUTHORIZED, description);
    }

    private static Decision badRequest(String description) {
        return new Decision.Rejected(Decision.Kind.BAD_REQUEST, description);
    }
}
