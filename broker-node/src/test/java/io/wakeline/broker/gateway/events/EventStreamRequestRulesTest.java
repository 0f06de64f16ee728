package io.wakeline.broker.gateway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.wakeline.broker.gateway.app.AccessToken;
import io.wakeline.broker.gateway.app.AccessTokenSealer;
import io.wakeline.broker.gateway.events.EventStreamRequestRules.Decision;
import io.wakeline.broker.gateway.events.EventStreamRequestRules.Head;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventStreamRequestRulesTest {
    private static final long NOW = 1_000_000L;
    private final AccessTokenSealer sealer = new AccessTokenSealer(new byte[32]);
    private final EventStreamRequestRules rules = new EventStreamRequestRules(sealer);
    private final String bearer = "Bearer " + sealer.seal(new AccessToken("ms-app://S-1", NOW - 1, NOW + 1000));

    @Test
    void aValidTokenOpensTheAppsStreamFromTheStart() {
        assertEquals(new Decision.Open("ms-app://S-1", 0), rules.check(new Head(List.of(bearer), List.of(), Optional.empty()), NOW));
    }

    @Test
    void lastEventIdWinsOverTheAfterParameter() {
        assertEquals(new Decision.Open("ms-app://S-1", 42),
                rules.check(new Head(List.of(bearer), List.of("42"), Optional.of("7")), NOW));
        assertEquals(new Decision.Open("ms-app://S-1", 7),
                rules.check(new Head(List.of(bearer), List.of(), Optional.of("7")), NOW));
    }

    @Test
    void missingForgedOrExpiredTokensAreUnauthorized() {
        for (Head head : List.of(new Head(List.of(), List.of(), Optional.empty()),
                new Head(List.of("Bearer nope"), List.of(), Optional.empty()),
                new Head(List.of("Basic abc"), List.of(), Optional.empty()),
                new Head(List.of(bearer, bearer), List.of(), Optional.empty()))) {
            Decision.Rejected rejected = assertInstanceOf(Decision.Rejected.class, rules.check(head, NOW));
            assertEquals(401, rejected.kind().httpStatus());
        }
        Decision expired = rules.check(new Head(List.of(bearer), List.of(), Optional.empty()), NOW + 1000);
        assertEquals(401, assertInstanceOf(Decision.Rejected.class, expired).kind().httpStatus());
    }

    @Test
    void aResumePositionThatIsNotAnEventIdIsABadRequest() {
        for (String id : List.of("-1", "x", "1.5", "99999999999999999999")) {
            Decision decision = rules.check(new Head(List.of(bearer), List.of(id), Optional.empty()), NOW);
            assertEquals(400, assertInstanceOf(Decision.Rejected.class, decision).kind().httpStatus(), id);
        }
    }
}
