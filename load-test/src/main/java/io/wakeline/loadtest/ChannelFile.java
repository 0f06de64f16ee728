package io.wakeline.loadtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads the JSON-lines channel file the device simulator writes, one {@link DeviceChannel} per line. */
public final class ChannelFile {

    // The simulator may add fields later; the load test only needs the ones it names.
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ChannelFile() {
    }

    /**
     * All channels in {@code file} in file order, keeping only {@code appId}'s when it is given.
     *
     * @throws IOException when the file cannot be read or a line is not a usable channel (the message names the line)
     */
    public static List<DeviceChannel> read(Path file, Optional<String> appId) throws IOException {
        List<DeviceChannel> channels = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                if (isOtherRecord(line)) {
                    continue; // Web Push subscriptions and control channels share the file; WNS load needs channels only
                }
                DeviceChannel channel = parse(file, lineNumber, line);
                if (appId.map(channel.appId()::equals).orElse(true)) {
                    channels.add(channel);
                }
            }
        }
        return List.copyOf(channels);
    }

    /** A line with a {@code kind} ({@code web-push}, {@code control}) is not a WNS channel. */
    private static boolean isOtherRecord(String line) {
        try {
            return !JSON.readTree(line).path("kind").asText("").isEmpty();
        } catch (JsonProcessingException e) {
            return false; // reported by parse, with its line number
        }
    }

    private static DeviceChannel parse(Path file, int lineNumber, String line) throws IOException {
        DeviceChannel channel;
        try {
            channel = JSON.readValue(line, DeviceChannel.class);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ":" + lineNumber + ": not a channel record: " + e.getOriginalMessage(), e);
        }
        if (channel.appId() == null || channel.channelUri() == null) {
            throw new IOException(file + ":" + lineNumber + ": a channel record needs appId and channelUri");
        }
        String scheme = Optional.ofNullable(channel.channelUri().getScheme()).orElse("").toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || channel.channelUri().getHost() == null) {
            throw new IOException(file + ":" + lineNumber + ": channelUri is not an absolute http(s) URI: "
                    + channel.channelUri());
        }
        return channel;
    }
}
