package io.wakeline.broker.gateway.events;

import io.wakeline.broker.gateway.http.Rejection;
import io.wakeline.broker.gateway.http.RequestHead;
import io.wakeline.broker.gateway.oauth.BearerAuthentication;
import java.util.List;
import java.util.Optional;

/**
 * Decides on a {@code GET /events} request: whose stream (the app of the bearer access token, the same OAuth
 * token as for sends) and where it resumes ({@code Last-Event-ID}, else {@code ?after=}, else from the start).
 * Plain Java.
 */
public final class EventStreamRequestRules {
    /** The headers the rules read. */
    public static final List<String> READ_HEADERS = List.of("authorization", "last-event-id");
    /** Sequence numbers are positive longs: 19 digits at most. */
    private static final int MAX_ID_LENGTH = 19;

    private final BearerAuthentication authentication;

    public EventStreamRequestRules(BearerAuthentication authentication) {
        this.authentication = authentication;
    }

    public sealed interface Decision {
        /** Stream {@code appId}'s events with event ids above {@code afterEventId}. */
        record Open(String appId, long afterEventId) implements Decision {
        }

        record Rejected(Rejection rejection) implements Decision {
        }
    }

    public Decision check(RequestHead head, long nowMillis) {
        BearerAuthentication.Outcome caller = authentication.authenticate(head, nowMillis);
        if (caller instanceof BearerAuthentication.Outcome.Refused refused) {
            return new Decision.Rejected(new Rejection(Rejection.Kind.UNAUTHORIZED, refused.description()));
        }
        Resume resume = resumeFrom(head);
        if (resume instanceof Resume.Invalid invalid) {
            return new Decision.Rejected(new Rejection(Rejection.Kind.BAD_REQUEST, invalid.description()));
        }
        String appId = ((BearerAuthentication.Outcome.Authenticated) caller).token().packageSid();
        return new Decision.Open(appId, ((Resume.After) resume).eventId());
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
    public static Resume resumeFrom(RequestHead head) {
        List<String> lastEventId = head.all("last-event-id");
        if (lastEventId.size() > 1) {
            return new Resume.Invalid("More than one Last-Event-ID header");
        }
        Optional<String> resume = lastEventId.isEmpty() ? head.queryParameter("after") : Optional.of(lastEventId.get(0));
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
}
