package io.wakeline.broker.app;

import io.wakeline.broker.CborSerializable;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * What the broker keeps of an app's client secret: a PBKDF2-HMAC-SHA256 hash with its own random salt.
 * The clear secret is never stored, journaled or logged; {@link #toString()} shows no key material.
 *
 * <p>The algorithm and iteration count travel with the hash, so a later change of the configured cost
 * keeps old hashes verifiable (the next rotation re-hashes at the new cost).
 */
public record SecretHash(String algorithm, int iterations, byte[] salt, byte[] hash) implements CborSerializable {
    public static final String PBKDF2_HMAC_SHA256 = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    public SecretHash {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(hash, "hash");
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        salt = salt.clone();
        hash = hash.clone();
    }

    /** Hashes {@code secret} with a fresh salt. Costs {@code iterations} HMACs: run it off the request threads. */
    public static SecretHash of(String secret, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new SecretHash(PBKDF2_HMAC_SHA256, iterations, salt, pbkdf2(secret, salt, iterations));
    }

    /** True when {@code secret} hashes to this value; the comparison takes the same time wherever the bytes differ. */
    public boolean matches(String secret) {
        if (secret == null || !PBKDF2_HMAC_SHA256.equals(algorithm)) {
            return false;
        }
        return MessageDigest.isEqual(hash, pbkdf2(secret, salt, iterations));
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    private static byte[] pbkdf2(String secret, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance(PBKDF2_HMAC_SHA256).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is required by every Java 17 runtime", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretHash other
                && algorithm.equals(other.algorithm)
                && iterations == other.iterations
                && Arrays.equals(salt, other.salt)
                && Arrays.equals(hash, other.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, iterations, Arrays.hashCode(salt), Arrays.hashCode(hash));
    }

    @Override
    public String toString() {
        return "SecretHash[" + algorithm + ", iterations=" + iterations + ", <redacted>]";
    }
}
