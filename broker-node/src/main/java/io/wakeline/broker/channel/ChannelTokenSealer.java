package io.wakeline.broker.channel;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals {@link ChannelToken}s into opaque URL-safe strings with AES-256-GCM (authenticated encryption).
 *
 * <p>Layout before base64url: {@code version(1) | nonce(12) | ciphertext | tag(16)}. The version byte is
 * authenticated as associated data. Nothing in the token is readable or forgeable without the key; a
 * changed byte anywhere fails authentication. Every node of a cluster must hold the same key.
 */
public final class ChannelTokenSealer {
    private static final byte FORMAT_VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Longest token accepted for opening; anything longer is not ours (bounds the work per request). */
    public static final int MAX_SEALED_LENGTH = 1024;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public ChannelTokenSealer(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("channel token key must be 32 bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    public String seal(ChannelToken token) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(new byte[] {FORMAT_VERSION});
            byte[] sealed = cipher.doFinal(plaintext(token));
            ByteBuffer out = ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length);
            out.put(FORMAT_VERSION).put(nonce).put(sealed);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is required by every Java 17 runtime", e);
        }
    }

    /** Opens a sealed token; any tampering, truncation or foreign key gives {@link Opened.Invalid}. */
    public Opened open(String sealed) {
        if (sealed == null || sealed.isEmpty() || sealed.length() > MAX_SEALED_LENGTH) {
            return new Opened.Invalid("token missing or of impossible length");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            return new Opened.Invalid("token is not base64url");
        }
        // The JDK decoder ignores the spare low bits of the last character, so without this check a URI
        // with its last character changed could still open (wns-spec 2.2: a modified URI is a 404).
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(sealed)) {
            return new Opened.Invalid("token is not canonical base64url");
        }
        if (raw.length < 1 + NONCE_BYTES + TAG_BITS / 8 || raw[0] != FORMAT_VERSION) {
            return new Opened.Invalid("unknown token format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 1, NONCE_BYTES));
            cipher.updateAAD(raw, 0, 1);
            byte[] plain = cipher.doFinal(raw, 1 + NONCE_BYTES, raw.length - 1 - NONCE_BYTES);
            return new Opened.Valid(parse(plain));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return new Opened.Invalid("token failed authentication");
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
