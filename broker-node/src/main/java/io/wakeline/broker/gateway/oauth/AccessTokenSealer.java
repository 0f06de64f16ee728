package io.wakeline.broker.gateway.oauth;

import io.wakeline.broker.seal.SealedBox;

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
    private final SealedBox box;

    public AccessTokenSealer(byte[] key) {
        this.box = new SealedBox(key, "wakeline/wns-access-token");
    }

    public String seal(AccessToken token) {
        return box.sealFields(out -> {
            out.writeLong(token.issuedAtMillis());
            out.writeLong(token.expiresAtMillis());
            out.writeUTF(token.packageSid());
        });
    }

    /** Opens a sealed token; any tampering, truncation or foreign key gives {@link Opened.Invalid}. */
    public Opened open(String sealed) {
        return box.openFields(sealed, in -> {
            long issuedAt = in.readLong();
            long expiresAt = in.readLong();
            return new AccessToken(in.readUTF(), issuedAt, expiresAt);
        }).<Opened>map(Opened.Valid::new).orElseGet(() -> new Opened.Invalid("not an access token of this broker"));
    }

    /** Result of {@link #open(String)}. */
    public sealed interface Opened {
        record Valid(AccessToken token) implements Opened {
        }

        record Invalid(String reason) implements Opened {
        }
    }
}
