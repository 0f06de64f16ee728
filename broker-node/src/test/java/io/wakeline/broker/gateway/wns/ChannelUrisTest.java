package io.wakeline.broker.gateway.wns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.ChannelTokenSealer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Channel URIs and the {@code MS-CV} correlation vectors of WNS answers. */
class ChannelUrisTest {

    @Test
    void correlationVectorsAreEchoedWhenPlausibleElseCreated() {
        assertEquals("tul5lFEVRsqNanU/.1.2", CorrelationVector.echoOrCreate(Optional.of("tul5lFEVRsqNanU/.1.2")));
        String created = CorrelationVector.echoOrCreate(Optional.empty());
        assertTrue(created.matches("[A-Za-z0-9+/]{16}\\.0"), created);
        assertNotEquals("bad value with spaces", CorrelationVector.echoOrCreate(Optional.of("bad value with spaces")));
        assertNotEquals(created, CorrelationVector.create());
    }

    @Test
    void channelUrisAreThePublicBaseUrlThenTheSealedToken() {
        byte[] key = new byte[32];
        ChannelTokenSealer sealer = new ChannelTokenSealer(key);
        ChannelUris uris = new ChannelUris("https://push.example.org:8443/", sealer);
        ChannelToken token = new ChannelToken("d", "ms-app://a", "c", 5L);
        String uri = uris.uriFor(token);
        assertTrue(uri.startsWith("https://push.example.org:8443/w/"), uri);
        String sealed = uri.substring("https://push.example.org:8443/w/".length());
        assertTrue(sealed.matches("[A-Za-z0-9_-]+"), sealed);
        assertEquals(token, assertInstanceOf(ChannelTokenSealer.Opened.Valid.class, sealer.open(sealed)).token());
    }
}
