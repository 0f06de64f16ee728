package io.wakeline.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppsFileTest {
    @TempDir
    Path dir;

    @Test
    void everyLineOfTheAppsFileIsRegisteredBesideTheConfiguredList() throws Exception {
        Path file = dir.resolve("apps");
        Files.writeString(file, """
                # package SID            client secret
                ms-app://S-1-15-2-2      two-secret

                ms-app://S-1-15-2-3	three-secret
                """);
        var config = ConfigFactory.parseString("wakeline.apps = [ { package-sid = \"ms-app://S-1-15-2-1\", client-secret = one } ]")
                .withValue(AppsFile.CONFIG_PATH, ConfigValueFactory.fromAnyRef(file.toString()));

        assertEquals(List.of(new ConfiguredApp("ms-app://S-1-15-2-2", "two-secret"), new ConfiguredApp("ms-app://S-1-15-2-3", "three-secret"),
                new ConfiguredApp("ms-app://S-1-15-2-1", "one")), ConfiguredApp.fromConfig(config));
    }

    @Test
    void theReferenceConfigurationReadsNoFileUnlessTheEnvironmentNamesOne() {
        if (System.getenv("WAKELINE_APPS_FILE") == null) {
            assertEquals("", ConfigFactory.load().getString(AppsFile.CONFIG_PATH));
        }
    }

    @Test
    void aMalformedLineNamesFileAndLineButNeverTheSecret() throws Exception {
        Path file = dir.resolve("apps");
        Files.writeString(file, "ms-app://S-1-15-2-2 two\nS-1-15-2-3 hunter2-secret\n");
        ConfigException bad = assertThrows(ConfigException.class, () -> AppsFile.read(file));
        assertTrue(bad.getMessage().contains(file + " line 2") && bad.getMessage().contains("not a package SID"), bad.getMessage());
        assertFalse(bad.getMessage().contains("hunter2"));

        Files.writeString(file, "ms-app://S-1-15-2-2 two words-secret\n");
        assertTrue(assertThrows(ConfigException.class, () -> AppsFile.read(file)).getMessage().contains("line 1"));
        Files.writeString(file, "ms-app://S-1-15-2-2 a\nms-app://S-1-15-2-2 b\n");
        assertTrue(assertThrows(ConfigException.class, () -> AppsFile.read(file)).getMessage().contains("listed twice"));
        assertTrue(assertThrows(ConfigException.class, () -> AppsFile.read(dir.resolve("missing"))).getMessage().contains("cannot read"));
    }
}
