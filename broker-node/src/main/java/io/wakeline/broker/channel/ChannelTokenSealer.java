package io.wakeline.broker.channel;

import io.wakeline.broker.seal.SealedBox;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Seals {@link ChannelToken}s into the opaque part of channel URIs ({@link SealedBox}: AES-256-GCM, purpose
 * "wakeline/channel-token"). Nothing in the token is readable or forgeable without the key; a changed
 * character anywhere fails. Every node of a cluster must hold the same key.
 */
public final class ChannelTokenSealer {
    /** Longest token accepted for opening; bounds the work an unauthenticated caller can cause. */
    public static final int MAX_SEALED_LENGTH = SealedBox.MAX_SEALED_LENGTH;

    private final SealedBox box;

    public ChannelTokenSealer(byte[] key) {
        this.box = new SealedBox(key, "wakeline/channel-token");
    }

    public String seal(ChannelToken token) {
        return box.seal(plaintext(token));
    }

    /** Opens a sealed token; any tampering, truncation or foreign key gives {@link Opened.Invalid}. */
    public Opened open(String sealed) {
        Optional<byte[]> plain = box.open(sealed);
        if (plain.isEmpty()) {
            return new Opened.Invalid("channel token failed authentication");
        }
        try {
            return new Opened.Valid(parse(plain.get()));
        } catch (IOException | RuntimeException e) {
            return new Opened.Invalid("channel token has an unknown layout");
        }
    }

    private static byte[] plaintext(ChannelToken token) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(token.expiresAtMillis());
            writeString(out, token.deviceId());
            writeString(out, token.appId());
            writeString(out, token.channelId());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static ChannelToken parse(byte[] plain) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(plain))) {
            long expires = in.readLong();
            String deviceId = readString(in);
            String appId = readString(in);
            String channelId = readString(in);
            if (in.available() != 0) {
                throw new IOException("trailing bytes");
            }
            return new ChannelToken(deviceId, appId, channelId, expires);
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

    /** Result of {@link #open(String)}. */
    public sealed interface Opened {
        record Valid(ChannelToken token) implements Opened {
        }

        record Invalid(String reason) implements Opened {
        }
    }
}
