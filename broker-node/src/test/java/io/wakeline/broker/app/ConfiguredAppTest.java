package io.wakeline.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfiguredAppTest {

    @Test
    void referenceConfigurationListsNoAppWhenTheEnvironmentSetsNone() {
        // the env placeholder entry resolves to {} and is skipped (unless the build runs with WAKELINE_APP_SID set)
        if (System.getenv("WAKELINE_APP_SID") == null && System.getenv("WAKELINE_APP_SECRET") == null) {
            assertTrue(ConfiguredApp.fromConfig(ConfigFactory.load()).isEmpty());
        }
    }

    @Test
    void readsEveryListedApp() {
        var config = ConfigFactory.parseString("""
                wakeline.apps = [
                  { package-sid = "ms-app://S-1-15-2-1", client-secret = "one" },
                  {},
                  { package-sid = "ms-app://S-1-15-2-2", client-secret = "two" }
                ]
                """);
        List<ConfiguredApp> apps = ConfiguredApp.fromConfig(config);
        assertEquals(List.of(new ConfiguredApp("ms-app://S-1-15-2-1", "one"), new ConfiguredApp("ms-app://S-1-15-2-2", "two")), apps);
    }

    @Test
    void anEntryWithOnlyOneKeyOrABadSidIsAConfigurationError() {
        assertThrows(ConfigException.class, () -> ConfiguredApp.fromConfig(ConfigFactory.parseString(
                "wakeline.apps = [ { package-sid = \"ms-app://S-1\" } ]")));
        assertThrows(ConfigException.class, () -> ConfiguredApp.fromConfig(ConfigFactory.parseString(
                "wakeline.apps = [ { client-secret = \"x\" } ]")));
        assertThrows(ConfigException.class, () -> ConfiguredApp.fromConfig(ConfigFactory.parseString(
                "wakeline.apps = [ { package-sid = \"S-1\", client-secret = \"x\" } ]")));
        assertThrows(ConfigException.class, () -> ConfiguredApp.fromConfig(ConfigFactory.parseString(
                "wakeline.apps = [ { package-sid = \"ms-app://S-1\", client-secret = \"\" } ]")));
    }

    @Test
    void toStringHidesTheSecret() {
        assertFalse(new ConfiguredApp("ms-app://S-1", "hunter2-secret").toString().contains("hunter2"));
    }
}
