package io.wakeline.broker.gateway.webpush;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 8292 §2–§4.2 as the push service checks them. */
class VapidTest {
    private static final String ORIGIN = "https://push.example.com:8443";
    private static final long NOW = 1_800_000_000_000L;
    private static final long NOW_SECONDS = NOW / 1000;

    private final VapidKeys keys = VapidKeys.generate();

    private Vapid.Verdict check(String authorization) {
        return Vapid.check(Optional.of(authorization), Optional.empty(), ORIGIN, NOW);
    }

    private String header(String jwt) {
        return "vapid t=" + jwt + ", k=" + keys.publicKeyBase64Url();
    }

    private static void assertInvalid(Vapid.Verdict verdict, String reasonPart) {
        var invalid = assertInstanceOf(Vapid.Verdict.Invalid.class, verdict);
        assertTrue(invalid.reason().contains(reasonPart), invalid.reason());
    }

    @Test
    void aTokenSignedForOurOriginIsValidAndNamesItsKey() {
        var valid = assertInstanceOf(Vapid.Verdict.Valid.class, check(keys.authorization(ORIGIN, NOW)));
        assertArrayEquals(keys.publicKey(), valid.key());
        assertEquals("mailto:ops@example.com", valid.subject());
    }

    @Test
    void schemeAndParametersAreReadLiberally() {
        String jwt = keys.jwt(ORIGIN, NOW_SECONDS + 60);
        assertInstanceOf(Vapid.Verdict.Valid.class, check("VAPID k=" + keys.publicKeyBase64Url() + ",t=" + jwt));
        assertInstanceOf(Vapid.Verdict.Valid.class, check("vapid t=\"" + jwt + "\", k=\"" + keys.publicKeyBase64Url() + "\", x=1"));
    }

    @Test
    void theLegacyWebPushSchemeTakesTheKeyFromCryptoKey() {
        String jwt = keys.jwt(ORIGIN, NOW_SECONDS + 60);
        var verdict = Vapid.check(Optional.of("WebPush " + jwt),
                Optional.of("dh=BAAA; p256ecdsa=" + keys.publicKeyBase64Url()), ORIGIN, NOW);
        assertInstanceOf(Vapid.Verdict.Valid.class, verdict);
    }

    @Test
    void noOrAnotherAuthorizationSchemeIsAbsent() {
        assertInstanceOf(Vapid.Verdict.Absent.class, Vapid.check(Optional.empty(), Optional.empty(), ORIGIN, NOW));
        assertInstanceOf(Vapid.Verdict.Absent.class, check("Bearer abc"));
        assertInstanceOf(Vapid.Verdict.Absent.class, check("key=AIzaSy"));
    }

    @Test
    void missingTokenOrKeyIsInvalid() {
        assertInvalid(check("vapid k=" + keys.publicKeyBase64Url()), "(t)");
        assertInvalid(check("vapid t=" + keys.jwt(ORIGIN, NOW_SECONDS + 60)), "(k)");
        assertInvalid(check("vapid"), "(t)");
    }

    @Test
    void aKeyThatIsNotAP256PointIsInvalid() {
        String jwt = keys.jwt(ORIGIN, NOW_SECONDS + 60);
        assertInvalid(check("vapid t=" + jwt + ", k=AAAA"), "P-256");
        byte[] offCurve = keys.publicKey();
        offCurve[64] ^= 1;
        assertInvalid(check("vapid t=" + jwt + ", k=" + VapidKeys.b64(offCurve)), "not a point");
    }

    @Test
    void anotherKeysSignatureOrATamperedTokenDoesNotVerify() {
        String foreign = VapidKeys.generate().jwt(ORIGIN, NOW_SECONDS + 60);
        assertInvalid(check(header(foreign)), "signature");
        String jwt = keys.jwt(ORIGIN, NOW_SECONDS + 60);
        String[] parts = jwt.split("\\.");
        String otherClaims = VapidKeys.b64(("{\"aud\":\"" + ORIGIN + "\",\"exp\":" + (NOW_SECONDS + 61) + "}").getBytes());
        assertInvalid(check(header(parts[0] + "." + otherClaims + "." + parts[2])), "signature");
        assertInvalid(check(header(parts[0] + "." + parts[1] + ".AAAA")), "signature");
        assertInvalid(check(header("not-a-jwt")), "JWS");
    }

    @Test
    void onlyEs256IsAccepted() {
        assertInvalid(check(header(keys.jwt("{\"typ\":\"JWT\",\"alg\":\"none\"}",
                "{\"aud\":\"" + ORIGIN + "\",\"exp\":" + (NOW_SECONDS + 60) + "}"))), "ES256");
        assertInvalid(check(header(keys.jwt("{\"typ\":\"JWT\",\"alg\":\"HS256\"}",
                "{\"aud\":\"" + ORIGIN + "\",\"exp\":" + (NOW_SECONDS + 60) + "}"))), "ES256");
    }

    @Test
    void theAudienceMustBeOurOrigin() {
        assertInvalid(check(header(keys.jwt("https://push.example.com", NOW_SECONDS + 60))), "aud");
        assertInvalid(check(header(keys.jwt("https://evil.example.com:8443", NOW_SECONDS + 60))), "aud");
        assertInvalid(check(header(keys.jwt(ORIGIN + "/wp", NOW_SECONDS + 60))), "aud");
        assertInstanceOf(Vapid.Verdict.Valid.class, check(header(keys.jwt("HTTPS://PUSH.example.com:8443", NOW_SECONDS + 60))));
        assertTrue(Vapid.sameOrigin("https://localhost", "https://localhost:443"));
        assertFalse(Vapid.sameOrigin("http://localhost:443", "https://localhost:443"));
    }

    @Test
    void expMustBePresentInTheFutureAndAtMost24HoursAhead() {
        assertInvalid(check(header(keys.jwt("{\"alg\":\"ES256\"}", "{\"aud\":\"" + ORIGIN + "\"}"))), "exp");
        assertInvalid(check(header(keys.jwt("{\"alg\":\"ES256\"}", "{\"aud\":\"" + ORIGIN + "\",\"exp\":\"soon\"}"))), "exp");
        assertInvalid(check(header(keys.jwt(ORIGIN, NOW_SECONDS))), "expired");
        assertInvalid(check(header(keys.jwt(ORIGIN, NOW_SECONDS - 3600))), "expired");
        assertInvalid(check(header(keys.jwt(ORIGIN, NOW_SECONDS + 24 * 3600 + 1))), "24 hours");
        assertInstanceOf(Vapid.Verdict.Valid.class, check(header(keys.jwt(ORIGIN, NOW_SECONDS + 24 * 3600))));
    }

    @Test
    void rawSignaturesBecomeDerWithSignPaddingAndWithoutLeadingZeros() {
        byte[] raw = new byte[64];
        raw[0] = (byte) 0x80; // r: high bit set, needs a 0x00 pad
        raw[63] = 1;          // s: 31 leading zero bytes, encodes as one byte
        byte[] der = Vapid.derSignature(raw);
        assertEquals(0x30, der[0]);
        assertEquals(2 + 33 + 2 + 1, der[1]);
        assertEquals(33, der[3]);
        assertEquals(0, der[4]);
        assertEquals(1, der[der.length - 2]);
        assertEquals(1, der[der.length - 1]);
    }
}
