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
 * Seals {@link ControlChannelToken}s into the opaque part of control channel URIs ({@link SealedBox}, purpose
 * "wakeline/control-channel-token": a WNS channel token never opens here, nor the other way round).
 */
public final class ControlChannelTokenSealer {
    private final SealedBox box;

    public ControlChannelTokenSealer(byte[] key) {
        this.box = new SealedBox(key, "wakeline/control-channel-token");
    }

    public String seal(ControlChannelToken token) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(token.issuedAtMillis());
            writeString(out, token.deviceId());
            writeString(out, token.appId());
            writeString(out, token.controlChannelId());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return box.seal(bytes.toByteArray());
    }

    /** The token, or empty when the text was tampered with, truncated or sealed under another key or purpose. */
    public Optional<ControlChannelToken> open(String sealed) {
        Optional<byte[]> plain = box.open(sealed);
        if (plain.isEmpty()) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain.get()))) {
            long issuedAt = in.readLong();
            String deviceId = readString(in);
            String appId = readString(in);
            String channelId = readString(in);
            if (in.available() != 0) {
                return Optional.empty();
            }
            return Optional.of(new ControlChannelToken(deviceId, appId, channelId, issuedAt));
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
