package io.wakeline.broker.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.ChannelTokenSealer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Message ids, correlation vectors, the admin credential, channel URIs and the settings defaults. */
class SmallPartsTest {

    @Test
    void messageIdsAre16HexCharactersAndDoNotRepeat() {
        MessageIds ids = new MessageIds(-2); // crosses the unsigned wrap-around
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = ids.next();
            assertTrue(id.matches("[0-9A-F]{16}"), id);
            assertTrue(seen.add(id), id);
        }
        assertEquals("FFFFFFFFFFFFFFFE", new MessageIds(-2).next());
        assertNotEquals(new MessageIds().next(), new MessageIds().next());
    }

    @Test
    void correlationVectorsAreEchoedWhenPlausibleElseCreated() {
        assertEquals("tul5lFEVRsqNanU/.1.2", CorrelationVector.echoOrCreate(Optional.of("tul5lFEVRsqNanU/.1.2")));
        String created = CorrelationVector.echoOrCreate(Optional.empty());
        assertTrue(created.matches("[A-Za-z0-9+/]{16}\\.0"), created);
        assertNotEquals("bad value with spaces", CorrelationVector.echoOrCreate(Optional.of("bad value with spaces")));
        assertNotEquals(created, CorrelationVector.create());
    }

    @Test
    void theAdminCredentialAcceptsOnlyTheBearerToken() {
        AdminCredential credential = new AdminCredential("the-admin-token-123");
        assertTrue(credential.accepts(Optional.of("Bearer the-admin-token-123")));
        assertTrue(credential.accepts(Optional.of("bearer the-admin-token-123")));
        assertFalse(credential.accepts(Optional.empty()));
        assertFalse(credential.accepts(Optional.of("Bearer the-admin-token-12")));
        assertFalse(credential.accepts(Optional.of("Bearer the-admin-token-1234")));
        assertFalse(credential.accepts(Optional.of("Basic the-admin-token-123")));
        assertFalse(credential.accepts(Optional.of("the-admin-token-123")));
        assertFalse(credential.toString().contains("the-admin"));
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

    @Test
    void referenceDefaultsDescribeTheDocumentedGateway() {
        var config = ConfigFactory.parseString("wakeline.app-gateway.port = 8443").withFallback(ConfigFactory.load());
        AppGatewaySettings settings = AppGatewaySettings.fromConfig(config);
        if (System.getenv("WAKELINE_PUBLIC_BASE_URL") == null) {
            assertEquals("https://localhost:8443", settings.publicBaseUrl());
        }
        assertEquals(Duration.ofHours(24), settings.accessTokenTtl());
        assertEquals(Duration.ofDays(825), settings.tls().validity());
        assertTrue(settings.tls().hostNames().containsAll(TlsSettings.LOCAL_NAMES));

        var custom = AppGatewaySettings.fromConfig(ConfigFactory.parseString(
                "wakeline.app-gateway { public-base-url = \"https://push.example.org/\", tls.extra-host-names = [\"10.0.0.5\"] }")
                .withFallback(config));
        assertEquals("https://push.example.org", custom.publicBaseUrl());
        assertTrue(custom.tls().hostNames().contains("push.example.org"));
        assertTrue(custom.tls().hostNames().contains("10.0.0.5"));
    }
}
