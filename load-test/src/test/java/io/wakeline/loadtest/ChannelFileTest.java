package io.wakeline.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelFileTest {

    @TempDir
    Path work;

    private Path file(String... lines) throws IOException {
        return Files.write(work.resolve("channels.jsonl"), List.of(lines));
    }

    @Test
    void readsEveryChannelInOrderAndKeepsOnlyTheChosenApp() throws IOException {
        Path file = file(
                "{\"deviceId\":\"dev-0\",\"appId\":\"ms-app://S-1-15-2-1\",\"channelUri\":\"https://127.0.0.1:8443/w/a\",\"channelId\":\"a\",\"expiresAtMillis\":1}",
                "",
                "{\"deviceId\":\"dev-0\",\"appId\":\"ms-app://S-1-15-2-2\",\"channelUri\":\"https://127.0.0.1:8443/w/b\",\"channelId\":\"b\",\"expiresAtMillis\":2}",
                "{\"deviceId\":\"dev-1\",\"appId\":\"ms-app://S-1-15-2-1\",\"channelUri\":\"https://127.0.0.1:8443/w/c\",\"channelId\":\"c\",\"expiresAtMillis\":3,\"futureField\":true}");

        assertEquals(3, ChannelFile.read(file, Optional.empty()).size());
        assertEquals(List.of(
                        new DeviceChannel("dev-0", "ms-app://S-1-15-2-1", URI.create("https://127.0.0.1:8443/w/a"), "a", 1),
                        new DeviceChannel("dev-1", "ms-app://S-1-15-2-1", URI.create("https://127.0.0.1:8443/w/c"), "c", 3)),
                ChannelFile.read(file, Optional.of("ms-app://S-1-15-2-1")));
    }

    @Test
    void controlChannelLinesAsTheSimulatorWritesThemAreReadOnlyForTheControlScenario() throws IOException {
        Path file = file(
                "{\"deviceId\":\"d1\",\"appId\":\"ms-app://S-1-15-2-1\",\"channelUri\":\"https://h/w/a\",\"channelId\":\"c1\",\"expiresAtMillis\":1}",
                "{\"kind\":\"control\",\"deviceId\":\"d2\",\"appId\":\"ms-app://S-1-15-2-1\",\"channelId\":\"cc-0-0\",\"controlChannelUri\":\"https://h/cc/b\"}");
        List<DeviceChannel> control = ChannelFile.readControl(file, Optional.empty());
        assertEquals(1, control.size());
        assertEquals(URI.create("https://h/cc/b"), control.get(0).channelUri());
        assertEquals(List.of(URI.create("https://h/w/a")),
                ChannelFile.read(file, Optional.empty()).stream().map(DeviceChannel::channelUri).toList());
    }

    @Test
    void malformedLineIsReportedWithItsLineNumber() throws IOException {
        Path file = file(
                "{\"deviceId\":\"dev-0\",\"appId\":\"ms-app://S-1-15-2-1\",\"channelUri\":\"https://127.0.0.1:8443/w/a\"}",
                "{\"deviceId\":\"dev-1\",\"appId\":\"ms-app://S-1-15-2-1\",\"channelUri\":\"ftp://127.0.0.1/w/a\"}");

        IOException rejected = assertThrows(IOException.class, () -> ChannelFile.read(file, Optional.empty()));

        assertTrue(rejected.getMessage().contains(":2:"), rejected.getMessage());
    }

    @Test
    void tokenUrlIsTheChannelOriginWithTheWnsTokenPath() {
        assertEquals(URI.create("https://127.0.0.1:8443/accesstoken.srf"),
                LoadTest.defaultTokenUri(URI.create("https://127.0.0.1:8443/w/opaque-token?x=1")));
    }
}
