package io.wakeline.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Issued channels as JSON lines, one object per line, for load generators that send to the channel URIs:
 * {@code {"deviceId":"dev-0","appId":"ms-app://S-1-15-2-1","channelUri":"https://...","channelId":"...","expiresAtMillis":123}}.
 * Web Push subscriptions are lines of their own with {@code "kind":"web-push"} (see {@link #append(WebPushSubscriptionRecord)}),
 * control channels with {@code "kind":"control"} (see {@link #append(ControlChannelRecord)}).
 * Written on the selector thread; flushed once per selector round so readers see lines within milliseconds.
 */
final class ChannelFile implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ChannelFile.class.getName());

    private final Path path;
    private final ObjectMapper json = new ObjectMapper();
    private BufferedWriter writer;
    private boolean dirty;

    ChannelFile(Path path) throws IOException {
        this.path = path;
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    void append(ChannelRecord channel) {
        if (writer == null) {
            return;
        }
        // built field by field so the key order is the documented one
        ObjectNode line = json.createObjectNode()
                .put("deviceId", channel.deviceId())
                .put("appId", channel.appId())
                .put("channelUri", channel.channelUri())
                .put("channelId", channel.channelId())
                .put("expiresAtMillis", channel.expiresAtMillis());
        write(line);
    }

    /**
     * A Web Push subscription, as its own kind of line:
     * {@code {"kind":"web-push","deviceId":…,"appId":…,"endpoint":…,"subscriptionId":…,"expiresAtMillis":…}}, plus
     * {@code "p256dh"} and {@code "auth"} (base64url, what a browser's {@code PushSubscription.toJSON()} gives an app
     * server) when the device made the subscription with encryption keys.
     */
    void append(WebPushSubscriptionRecord subscription) {
        if (writer == null) {
            return;
        }
        ObjectNode line = json.createObjectNode()
                .put("kind", "web-push")
                .put("deviceId", subscription.deviceId())
                .put("appId", subscription.appId())
                .put("endpoint", subscription.endpoint())
                .put("subscriptionId", subscription.subscriptionId())
                .put("expiresAtMillis", subscription.expiresAtMillis());
        if (subscription.keys() != null) {
            line.put("p256dh", subscription.keys().p256dh()).put("auth", subscription.keys().auth());
        }
        write(line);
    }

    /**
     * A control channel, as its own kind of line:
     * {@code {"kind":"control","deviceId":…,"appId":…,"channelId":…,"controlChannelUri":…}}.
     */
    void append(ControlChannelRecord channel) {
        if (writer == null) {
            return;
        }
        ObjectNode line = json.createObjectNode()
                .put("kind", "control")
                .put("deviceId", channel.deviceId())
                .put("appId", channel.appId())
                .put("channelId", channel.channelId())
                .put("controlChannelUri", channel.controlChannelUri());
        write(line);
    }

    private void write(ObjectNode line) {
        try {
            writer.write(json.writeValueAsString(line));
            writer.write('\n');
            dirty = true;
        } catch (IOException e) {
            fail(e);
        }
    }

    void flushIfDirty() {
        if (writer == null || !dirty) {
            return;
        }
        try {
            writer.flush();
            dirty = false;
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public void close() {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "channel file close failed path={0} error={1}", path, e.toString());
        }
        writer = null;
    }

    /** A full disk must not stop the devices: stop writing, say so once, keep simulating. */
    private void fail(IOException e) {
        LOG.log(System.Logger.Level.WARNING, "channel file write failed, no more lines will be written path={0} error={1}",
                path, e.toString());
        try {
            writer.close();
        } catch (IOException ignored) {
            // already reported the first failure; the writer is being abandoned either way
        }
        writer = null;
    }
}
