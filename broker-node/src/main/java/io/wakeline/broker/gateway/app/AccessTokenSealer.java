package io.wakeline.broker.gateway.app;

import io.wakeline.broker.seal.SealedBox;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Optional;

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
    /** Longest token accepted for opening; bounds the work an unauthenticated caller can cause. */
    public static final int MAX_SEALED_LENGTH = SealedBox.MAX_SEALED_LENGTH;

    private final SealedBox box;

    public AccessTokenSealer(byte[] key) {
        this.box = new SealedBox(key, "wakeline/wns-access-token");
    }

    public String seal(AccessToken token) {
        return box.seal(plaintext(token));
    }

    /** Opens a sealed token; any tampering, truncation or foreign key gives {@link Opened.Invalid}. */
    public Opened open(String sealed) {
        Optional<byte[]> plain = box.open(sealed);
        if (plain.isEmpty()) {
            return new Opened.Invalid("access token failed authentication");
        }
        try {
            return new Opened.Valid(parse(plain.get()));
        } catch (IOException | RuntimeException e) {
            return new Opened.Invalid("access token has an unknown layout");
        }
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
