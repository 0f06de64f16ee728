package io.wakeline.broker.gateway.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.wakeline.broker.gateway.http.RequestHead;
import io.wakeline.broker.gateway.oauth.TokenRequestRules.Decision;
import io.wakeline.broker.gateway.oauth.TokenRequestRules.OAuthError;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TokenRequestRulesTest {
    private static final RequestHead FORM = posted(Optional.of("application/x-www-form-urlencoded"));
    private static final String SID_ENCODED = "ms-app%3a%2f%2fS-1-15-2-2972962901";

    private static RequestHead posted(Optional<String> contentType) {
        return RequestHead.of("POST", Map.of()).withBody(contentType, OptionalLong.empty());
    }

    private static String body(String grant, String id, String secret, String scope) {
        return "grant_type=" + grant + "&client_id=" + id + "&client_secret=" + secret + "&scope=" + scope;
    }

    private static void assertRefused(OAuthError error, Decision decision) {
        assertEquals(error, assertInstanceOf(Decision.Refuse.class, decision).error());
    }

    @Test
    void aWnsTokenRequestAsDocumentedGoesOnToAuthentication() {
        var decision = assertInstanceOf(Decision.Authenticate.class, TokenRequestRules.evaluate(FORM,
                body("client_credentials", SID_ENCODED, "Vex8L9WOFZuj95euaLrvSH7XyoDhLJc7", "notify.windows.com")));
        assertEquals("ms-app://S-1-15-2-2972962901", decision.packageSid());
        assertEquals("Vex8L9WOFZuj95euaLrvSH7XyoDhLJc7", decision.clientSecret());
        assertFalse(decision.toString().contains("Vex8L9"));
    }

    @Test
    void theOldWindowsPhoneScopeIsAcceptedToo() {
        assertInstanceOf(Decision.Authenticate.class, TokenRequestRules.evaluate(FORM,
                body("client_credentials", SID_ENCODED, "s", "s.notify.live.net")));
    }

    @Test
    void formDecodingHandlesPlusAndPercentEscapes() {
        var decision = assertInstanceOf(Decision.Authenticate.class, TokenRequestRules.evaluate(FORM,
                body("client_credentials", SID_ENCODED, "a+b%2Bc%3D", "notify.windows.com")));
        assertEquals("a b+c=", decision.clientSecret());
    }

    @Test
    void everyMalformedRequestGetsItsOAuthError() {
        String ok = body("client_credentials", SID_ENCODED, "s", "notify.windows.com");
        assertRefused(OAuthError.INVALID_REQUEST, TokenRequestRules.evaluate(posted(Optional.of("application/json")), ok));
        assertRefused(OAuthError.INVALID_REQUEST, TokenRequestRules.evaluate(posted(Optional.empty()), ok));
        assertRefused(OAuthError.INVALID_REQUEST, TokenRequestRules.evaluate(FORM, ""));
        assertRefused(OAuthError.INVALID_REQUEST, TokenRequestRules.evaluate(FORM, ok + "&client_secret=t"));
        assertRefused(OAuthError.INVALID_REQUEST, TokenRequestRules.evaluate(FORM, "grant_type=client_credentials&client_id=" + SID_ENCODED + "&scope=notify.windows.com"));
        assertRefused(OAuthError.INVALID_REQUEST, TokenRequestRules.evaluate(FORM, ok.replace("client_secret=s", "client_secret=")));
        assertRefused(OAuthError.INVALID_REQUEST, TokenRequestRules.evaluate(FORM, ok + "&x=%zz"));
        assertRefused(OAuthError.UNSUPPORTED_GRANT_TYPE, TokenRequestRules.evaluate(FORM, body("password", SID_ENCODED, "s", "notify.windows.com")));
        assertRefused(OAuthError.UNSUPPORTED_GRANT_TYPE, TokenRequestRules.evaluate(FORM, body("Client_Credentials", SID_ENCODED, "s", "notify.windows.com")));
        assertRefused(OAuthError.INVALID_SCOPE, TokenRequestRules.evaluate(FORM, body("client_credentials", SID_ENCODED, "s", "openid")));
        assertRefused(OAuthError.INVALID_CLIENT, TokenRequestRules.evaluate(FORM, body("client_credentials", "S-1-15-2-1", "s", "notify.windows.com")));
    }
}
