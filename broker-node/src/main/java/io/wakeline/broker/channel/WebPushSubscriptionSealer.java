package io.wakeline.broker.channel;

import io.wakeline.broker.seal.SealedBox;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Seals {@link WebPushSubscriptionToken}s into the last path segment of Web Push endpoints ({@link SealedBox},
 * purpose "wakeline/webpush-subscription"). It uses the channel-token key: the purpose label keeps a channel
 * token from ever opening as a subscription and the other way round.
 */
public final class WebPushSubscriptionSealer {
    private static final int MAX_KEY_BYTES = 65;

    private final SealedBox box;

    public WebPushSubscriptionSealer(byte[] channelTokenKey) {
        this.box = new SealedBox(channelTokenKey, "wakeline/webpush-subscription");
    }

    public String seal(WebPushSubscriptionToken token) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(token.expiresAtMillis());
            writeString(out, token.deviceId());
            writeString(out, token.appId());
            writeString(out, token.subscriptionId());
            byte[] key = token.applicationServerKey();
            out.writeByte(key.length);
            out.write(key);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return box.seal(bytes.toByteArray());
    }

    /** The token, or empty when the text was not sealed by us for this purpose, or was altered. */
    public Optional<WebPushSubscriptionToken> open(String sealed) {
        Optional<byte[]> plain = box.open(sealed);
        if (plain.isEmpty()) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain.get()))) {
            long expires = in.readLong();
            String deviceId = readString(in);
            String appId = readString(in);
            String subscriptionId = readString(in);
            int keyLength = in.readUnsignedByte();
            if (keyLength > MAX_KEY_BYTES) {
                return Optional.empty();
            }
            byte[] key = new byte[keyLength];
            in.readFully(key);
            if (in.available() != 0) {
                return Optional.empty();
            }
            return Optional.of(new WebPushSubscriptionToken(deviceId, appId, subscriptionId, expires, key));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
