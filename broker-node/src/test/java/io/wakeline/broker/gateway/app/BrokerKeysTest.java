package io.wakeline.broker.gateway.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.ChannelTokenSealer;
import io.wakeline.broker.gateway.oauth.AccessToken;
import io.wakeline.broker.gateway.oauth.AccessTokenSealer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerKeysTest {
    @TempDir
    Path dataDir;

    private Config config(String overrides) {
        return ConfigFactory.parseString(overrides)
                .withFallback(ConfigFactory.parseMap(Map.of("wakeline.data-dir", dataDir.toString())))
                .withFallback(ConfigFactory.parseString("""
                        wakeline.keys { channel-token-key = "", access-token-key = "" }
                        wakeline.admin.token = ""
                        """));
    }

    @Test
    void generatedKeysAreStoredOwnerOnlyAndReusedAfterARestart() throws Exception {
        BrokerKeys first = BrokerKeys.loadOrCreate(config(""));
        Path keys = dataDir.resolve("keys");
        for (String file : new String[] {"channel-token-key", "access-token-key", "admin-token"}) {
            assertTrue(Files.exists(keys.resolve(file)), file);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(file))));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));

        String channel = first.channelTokenSealer().seal(new ChannelToken("d", "ms-app://a", "c", Long.MAX_VALUE));
        String access = first.accessTokenSealer().seal(new AccessToken("ms-app://a", 1, Long.MAX_VALUE));

        BrokerKeys second = BrokerKeys.loadOrCreate(config(""));
        assertArrayEquals(first.channelTokenKey(), second.channelTokenKey());
        assertArrayEquals(first.accessTokenKey(), second.accessTokenKey());
        assertEquals(first.adminToken(), second.adminToken());
        assertInstanceOf(ChannelTokenSealer.Opened.Valid.class, second.channelTokenSealer().open(channel));
        assertInstanceOf(AccessTokenSealer.Opened.Valid.class, second.accessTokenSealer().open(access));
        assertFalse(java.util.Arrays.equals(first.channelTokenKey(), first.accessTokenKey()));
    }

    @Test
    void configuredKeysWinAndAreNotWrittenToDisk() {
        byte[] channelKey = new byte[32];
        byte[] accessKey = new byte[32];
        accessKey[0] = 1;
        BrokerKeys keys = BrokerKeys.loadOrCreate(config(
                "wakeline.keys.channel-token-key = \"" + Base64.getEncoder().encodeToString(channelKey) + "\"\n"
                        + "wakeline.keys.access-token-key = \"" + Base64.getEncoder().encodeToString(accessKey) + "\"\n"
                        + "wakeline.admin.token = \"a-long-enough-admin-token\""));
        assertArrayEquals(channelKey, keys.channelTokenKey());
        assertArrayEquals(accessKey, keys.accessTokenKey());
        assertEquals("a-long-enough-admin-token", keys.adminToken());
        assertFalse(Files.exists(dataDir.resolve("keys").resolve("channel-token-key")));
        assertFalse(Files.exists(dataDir.resolve("keys").resolve("admin-token")));
    }

    @Test
    void badConfiguredKeysFailFast() {
        String key16 = Base64.getEncoder().encodeToString(new byte[16]);
        String key32 = Base64.getEncoder().encodeToString(new byte[32]);
        assertThrows(ConfigException.class, () -> BrokerKeys.loadOrCreate(config("wakeline.keys.channel-token-key = \"" + key16 + "\"")));
        assertThrows(ConfigException.class, () -> BrokerKeys.loadOrCreate(config("wakeline.keys.channel-token-key = \"***\"")));
        assertThrows(ConfigException.class, () -> BrokerKeys.loadOrCreate(config(
                "wakeline.keys.channel-token-key = \"" + key32 + "\"\nwakeline.keys.access-token-key = \"" + key32 + "\"")));
        assertThrows(ConfigException.class, () -> BrokerKeys.loadOrCreate(config("wakeline.admin.token = short")));
    }

    @Test
    void toStringShowsNoKey() {
        BrokerKeys keys = BrokerKeys.loadOrCreate(config(""));
        String text = keys.toString();
        assertFalse(text.contains(Base64.getEncoder().encodeToString(keys.channelTokenKey())));
        assertFalse(text.contains(keys.adminToken()));
    }
}
