package io.wakeline.broker.gateway.app;

import java.io.ByteArrayInputStream;
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
 * Seals {@link AccessToken}s into opaque bearer tokens with AES-256-GCM, so a send is authenticated
 * without any lookup (wns-spec 1.8, 1.12).
 *
 * <p>Layout before base64url: {@code version(1) | nonce(12) | ciphertext | tag(16)}. The associated data
 * is a purpose label plus the version byte, so a channel token can never open as an access token even
 * if an operator configured the same key for both. Only the canonical base64url spelling of a token is
 * accepted: a changed character always fails, even one that only touches the encoding's spare bits.
 */
public final class AccessTokenSealer {
    private static final byte FORMAT_VERSION = 1;
    private static final byte[] PURPOSE = "wakeline/wns-access-token".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Longest token accepted for opening; bounds the work an unauthenticated caller can cause. */
    public static final int MAX_SEALED_LENGTH = 1024;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public AccessTokenSealer(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("access token key must be 32 bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    public String seal(AccessToken token) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(PURPOSE);
            cipher.updateAAD(new byte[] {FORMAT_VERSION});
            byte[] sealed = cipher.doFinal(plaintext(token));
            ByteBuffer out = ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length);
            out.put(FORMAT_VERSION).put(nonce).put(sealed);
            return encode(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is required by every Java 17 runtime", e);
        }
    }

    /** Opens a bearer token; anything not sealed by this key, or altered, is {@link Opened.Invalid}. */
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
        if (!encode(raw).equals(sealed)) {
            return new Opened.Invalid("token is not canonical base64url");
        }
        if (raw.length < 1 + NONCE_BYTES + TAG_BITS / 8 || raw[0] != FORMAT_VERSION) {
            return new Opened.Invalid("unknown token format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 1, NONCE_BYTES));
            cipher.updateAAD(PURPOSE);
            cipher.updateAAD(raw, 0, 1);
            byte[] plain = cipher.doFinal(raw, 1 + NONCE_BYTES, raw.length - 1 - NONCE_BYTES);
            return new Opened.Valid(parse(plain));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return new Opened.Invalid("token failed authentication");
        }
    }

    private static String encode(byte[] raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static byte[] plaintext(AccessToken token) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(token.issuedAtMillis());
            out.writeLong(token.expiresAtMillis());
            out.writeUTF(token.packageSid());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static AccessToken parse(byte[] plain) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
            long issuedAt = in.readLong();
            long expiresAt = in.readLong();
            String packageSid = in.readUTF();
            if (in.available() != 0) {
                throw new IOException("trailing bytes");
            }
            return new AccessToken(packageSid, issuedAt, expiresAt);
        }
    }

    /** Result of {@link #open(String)}. */
    public sealed interface Opened {
        record Valid(AccessToken token) implements Opened {
        }

        record Invalid(String reason) implements Opened {
        }
    }
}
