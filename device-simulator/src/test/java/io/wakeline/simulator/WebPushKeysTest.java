package io.wakeline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class WebPushKeysTest {

    /** RFC 8291 §5 and Appendix A: the user agent's keys and the message the application server sent. */
    private static final String UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    private static final String UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    private static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
    private static final String BODY = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    @Test
    void decryptsTheRfc8291Example() {
        WebPushKeys keys = WebPushKeys.of(WebPushKeys.base64url(UA_PRIVATE), WebPushKeys.base64url(UA_PUBLIC),
                WebPushKeys.base64url(AUTH));

        assertEquals("When I grow up, I want to be a watermelon",
                new String(keys.decrypt(WebPushKeys.base64url(BODY)), StandardCharsets.UTF_8));
        assertEquals(UA_PUBLIC, keys.p256dh());
        assertEquals(AUTH, keys.auth());
    }

    @Test
    void aBodyForOtherKeysOrTamperedWithIsRefused() {
        WebPushKeys other = WebPushKeys.generate(new SecureRandom());
        assertThrows(IllegalArgumentException.class, () -> other.decrypt(WebPushKeys.base64url(BODY)));

        WebPushKeys keys = WebPushKeys.of(WebPushKeys.base64url(UA_PRIVATE), WebPushKeys.base64url(UA_PUBLIC),
                WebPushKeys.base64url(AUTH));
        byte[] tampered = WebPushKeys.base64url(BODY);
        tampered[tampered.length - 1] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> keys.decrypt(tampered));
        assertThrows(IllegalArgumentException.class, () -> keys.decrypt(new byte[10]));
    }

    @Test
    void generatedKeysHaveTheSizesAppServersExpect() {
        WebPushKeys keys = WebPushKeys.generate(new SecureRandom());
        assertEquals(65, WebPushKeys.base64url(keys.p256dh()).length);
        assertEquals(16, WebPushKeys.base64url(keys.auth()).length);
        assertNotEquals(keys.auth(), WebPushKeys.generate(new SecureRandom()).auth());
    }
}
