package io.wakeline.broker.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code wakeline.app-gateway}: the documented defaults, and the keys that name their timeouts. */
class AppGatewaySettingsTest {

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

    @Test
    void theDeviceAskTimeoutIsThreeSecondsAndStillTakesItsFormerName() {
        var config = ConfigFactory.load();
        assertEquals(Duration.ofSeconds(3), AppGatewaySettings.fromConfig(config).deviceAskTimeout());
        var formerName = ConfigFactory.parseString("wakeline.app-gateway.ask-timeout = 7s")
                .withFallback(ConfigFactory.parseResourcesAnySyntax("reference")).resolve();
        assertEquals(Duration.ofSeconds(7), AppGatewaySettings.fromConfig(formerName).deviceAskTimeout());
        var both = ConfigFactory.parseString("wakeline.app-gateway { ask-timeout = 7s, device-ask-timeout = 2s }")
                .withFallback(ConfigFactory.parseResourcesAnySyntax("reference")).resolve();
        assertEquals(Duration.ofSeconds(2), AppGatewaySettings.fromConfig(both).deviceAskTimeout());
    }
}
