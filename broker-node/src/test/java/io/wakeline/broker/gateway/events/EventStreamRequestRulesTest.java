package io.wakeline.broker.gateway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.wakeline.broker.gateway.events.EventStreamRequestRules.Decision;
import io.wakeline.broker.gateway.http.Rejection;
import io.wakeline.broker.gateway.http.RequestHead;
import io.wakeline.broker.gateway.oauth.AccessToken;
import io.wakeline.broker.gateway.oauth.AccessTokenSealer;
import io.wakeline.broker.gateway.oauth.BearerAuthentication;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventStreamRequestRulesTest {
    private static final long NOW = 1_000_000L;
    private final AccessTokenSealer sealer = new AccessTokenSealer(new byte[32]);
    private final EventStreamRequestRules rules = new EventStreamRequestRules(new BearerAuthentication(sealer));
    private final String bearer = "Bearer " + sealer.seal(new AccessToken("ms-app://S-1", NOW - 1, NOW + 1000));

    /** What the route reads of a request: every Authorization and Last-Event-ID, and the {@code after} parameter. */
    private static RequestHead head(List<String> authorization, List<String> lastEventId, Optional<String> after) {
        Map<String, List<String>> headers = new HashMap<>();
        if (!authorization.isEmpty()) {
            headers.put("authorization", authorization);
        }
        if (!lastEventId.isEmpty()) {
            headers.put("last-event-id", lastEventId);
        }
        return RequestHead.of("GET", headers).withQuery(after.map(a -> Map.of("after", a)).orElse(Map.of()));
    }

    @Test
    void aValidTokenOpensTheAppsStreamFromTheStart() {
        assertEquals(new Decision.Open("ms-app://S-1", 0), rules.check(head(List.of(bearer), List.of(), Optional.empty()), NOW));
    }

    @Test
    void lastEventIdWinsOverTheAfterParameter() {
        assertEquals(new Decision.Open("ms-app://S-1", 42),
                rules.check(head(List.of(bearer), List.of("42"), Optional.of("7")), NOW));
        assertEquals(new Decision.Open("ms-app://S-1", 7),
                rules.check(head(List.of(bearer), List.of(), Optional.of("7")), NOW));
    }

    @Test
    void missingForgedOrExpiredTokensAreUnauthorized() {
        for (RequestHead head : List.of(head(List.of(), List.of(), Optional.empty()),
                head(List.of("Bearer nope"), List.of(), Optional.empty()),
                head(List.of("Basic abc"), List.of(), Optional.empty()),
                head(List.of(bearer, bearer), List.of(), Optional.empty()))) {
            Decision.Rejected rejected = assertInstanceOf(Decision.Rejected.class, rules.check(head, NOW));
            assertEquals(Rejection.Kind.UNAUTHORIZED, rejected.rejection().kind());
        }
        Decision expired = rules.check(head(List.of(bearer), List.of(), Optional.empty()), NOW + 1000);
        assertEquals(Rejection.Kind.UNAUTHORIZED, assertInstanceOf(Decision.Rejected.class, expired).rejection().kind());
    }

    @Test
    void aResumePositionThatIsNotAnEventIdIsABadRequest() {
        for (String id : List.of("-1", "x", "1.5", "99999999999999999999")) {
            Decision decision = rules.check(head(List.of(bearer), List.of(id), Optional.empty()), NOW);
            assertEquals(Rejection.Kind.BAD_REQUEST, assertInstanceOf(Decision.Rejected.class, decision).rejection().kind(), id);
        }
    }
}
