package io.wakeline.broker.seal;

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
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM sealing of small byte strings into URL-safe text: what channel URIs and access tokens are
 * made of, so the broker verifies them without a lookup.
 *
 * <p>Layout before base64url: {@code version(1) | nonce(12) | ciphertext | tag(16)}. The associated data
 * is the purpose label plus the version byte, so a box sealed for one purpose never opens for another
 * even under the same key. Only the canonical base64url spelling opens: a changed character always
 * fails, even one that only touches the encoding's spare bits.
 */
public final class SealedBox {
    private static final byte FORMAT_VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Longest sealed text accepted for opening; bounds the work an unauthenticated caller can cause. */
    public static final int MAX_SEALED_LENGTH = 1024;

    private final SecretKey key;
    private final byte[] purpose;
    private final SecureRandom random = new SecureRandom();
    /**
     * One decrypting cipher per box and thread, initialised afresh (nonce) for every box opened: looking the provider
     * up per request was ~1 % of the node's CPU on the send paths (JFR). Per box, not per thread only: the AES key
     * schedule is kept while the key stays the same, and one cipher alternating between the access-token and the
     * channel-token key recomputed it on every request (11 % of the node's CPU at 3,000 sends/s). Decryption may
     * reuse a cipher; sealing does not.
     */
    private final ThreadLocal<Cipher> decryptors = ThreadLocal.withInitial(SealedBox::newCipher);

    public SealedBox(byte[] key, String purpose) {
        if (key.length != 32) {
            throw new IllegalArgumentException(purpose + " key must be 32 bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.purpose = purpose.getBytes(StandardCharsets.US_ASCII);
    }

    public String seal(byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(purpose);
            cipher.updateAAD(new byte[] {FORMAT_VERSION});
            byte[] sealed = cipher.doFinal(plaintext);
            ByteBuffer out = ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length);
            out.put(FORMAT_VERSION).put(nonce).put(sealed);
            return encode(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is required by every Java 17 runtime", e);
        }
    }

    /** The plaintext, or empty when the text was not sealed by this key for this purpose, or was altered. */
    public Optional<byte[]> open(String sealed) {
        if (sealed == null || sealed.isEmpty() || sealed.length() > MAX_SEALED_LENGTH) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!encode(raw).equals(sealed) || raw.length < 1 + NONCE_BYTES + TAG_BITS / 8 || raw[0] != FORMAT_VERSION) {
            return Optional.empty();
        }
        try {
            Cipher cipher = decryptors.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 1, NONCE_BYTES));
            cipher.updateAAD(purpose);
            cipher.updateAAD(raw, 0, 1);
            return Optional.of(cipher.doFinal(raw, 1 + NONCE_BYTES, raw.length - 1 - NONCE_BYTES));
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is required by every Java 17 runtime", e);
        }
    }

    /** Writes a token's fields; the box seals exactly what it wrote. */
    @FunctionalInterface
    public interface FieldWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads a token's fields back in the order they were written. */
    @FunctionalInterface
    public interface FieldReader<T> {
        T read(DataInputStream in) throws IOException;
    }

    /** Seals the fields {@code writer} writes. */
    public String sealFields(FieldWriter writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return seal(bytes.toByteArray());
    }

    /**
     * Opens and reads the fields back: empty when the text was not sealed by this key for this purpose, was
     * altered, or its plaintext does not read as exactly those fields (nothing may be left over).
     */
    public <T> Optional<T> openFields(String sealed, FieldReader<T> reader) {
        Optional<byte[]> plain = open(sealed);
        if (plain.isEmpty()) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain.get()))) {
            T value = reader.read(in);
            return in.available() == 0 ? Optional.ofNullable(value) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A string field: UTF-8 bytes behind their unsigned 16-bit length. */
    public static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    public static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readUnsignedShort()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String encode(byte[] raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
