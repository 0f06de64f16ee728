package io.wakeline.broker.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestHeadTest {

    private static RequestHead authorized(String... values) {
        return RequestHead.of("POST", values.length == 0 ? Map.of() : Map.of("authorization", List.of(values)));
    }

    private static String refusal(RequestHead head) {
        return assertInstanceOf(RequestHead.Bearer.Refused.class, head.bearer()).description();
    }

    @Test
    void aHeaderIsReadOnceTrimmedAndARepeatIsSeen() {
        RequestHead head = RequestHead.of("POST", Map.of("ttl", List.of(" 60 "), "topic", List.of("a", "b")));
        assertEquals(Optional.of("60"), head.single("ttl"));
        assertFalse(head.repeated("ttl"));
        assertTrue(head.repeated("topic"));
        assertEquals(Optional.of("a"), head.single("topic"));
        assertEquals(List.of("a", "b"), head.all("topic"));
        assertEquals(Optional.empty(), head.single("urgency"));
        assertEquals(List.of(), head.all("urgency"));
    }

    @Test
    void aBearerTokenIsTakenInAnyCaseOfTheScheme() {
        assertEquals("abc", assertInstanceOf(RequestHead.Bearer.Token.class, authorized("Bearer abc").bearer()).token());
        assertEquals("abc", assertInstanceOf(RequestHead.Bearer.Token.class, authorized(" bEaReR  abc ").bearer()).token());
    }

    @Test
    void missingRepeatedOrOtherCredentialsAreRefusedWithTheirReason() {
        assertEquals("Missing Authorization header", refusal(authorized()));
        assertEquals("More than one Authorization header", refusal(authorized("Bearer a", "Bearer a")));
        assertEquals("Authorization must be a Bearer access token", refusal(authorized("Basic dXNlcjpwYXNz")));
        assertEquals("Authorization must be a Bearer access token", refusal(authorized("Bearer")));
        assertEquals("Authorization must be a Bearer access token", refusal(authorized("Bearer ")));
    }

    @Test
    void queryParametersAreThereWhenGiven() {
        RequestHead head = RequestHead.of("GET", Map.of()).withQuery(Map.of("after", "7"));
        assertEquals(Optional.of("7"), head.queryParameter("after"));
        assertEquals(Optional.empty(), RequestHead.of("GET", Map.of()).queryParameter("after"));
    }
}
