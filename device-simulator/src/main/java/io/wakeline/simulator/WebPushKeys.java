package io.wakeline.simulator;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The user agent's side of Web Push message encryption (RFC 8291 over the {@code aes128gcm} content coding of
 * RFC 8188): a P-256 key pair and a 16-byte authentication secret. The app hands {@link #p256dh()} and
 * {@link #auth()} to its app server with the subscription's endpoint; they never pass the broker, which relays the
 * ciphertext byte for byte (docs/protocol.md §15). {@link #decrypt} opens what arrives.
 */
public final class WebPushKeys {
    private static final int AUTH_BYTES = 16;
    private static final int PUBLIC_KEY_BYTES = 65;
    private static final int SALT_BYTES = 16;
    private static final int TAG_BITS = 128;
    private static final int TAG_BYTES = TAG_BITS / 8;
    /** RFC 8188 §2: the last record's padding starts with 2, the others' with 1. */
    private static final byte LAST_RECORD_DELIMITER = 2;
    private static final byte RECORD_DELIMITER = 1;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

    private final ECPrivateKey privateKey;
    private final ECParameterSpec curve;
    private final byte[] publicKey;
    private final byte[] authSecret;

    private WebPushKeys(ECPrivateKey privateKey, byte[] publicKey, byte[] authSecret) {
        this.privateKey = privateKey;
        this.curve = privateKey.getParams();
        this.publicKey = publicKey.clone();
        this.authSecret = authSecret.clone();
    }

    /** Fresh keys, as a browser makes for each subscription. */
    public static WebPushKeys generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();
            byte[] auth = new byte[AUTH_BYTES];
            random.nextBytes(auth);
            return new WebPushKeys((ECPrivateKey) pair.getPrivate(), uncompressed((ECPublicKey) pair.getPublic()), auth);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK supports P-256", e);
        }
    }

    /** Known keys (e.g. RFC 8291's example): the private scalar, the uncompressed public point, the auth secret. */
    public static WebPushKeys of(byte[] privateScalar, byte[] publicKey, byte[] authSecret) {
        if (publicKey.length != PUBLIC_KEY_BYTES || publicKey[0] != 4 || authSecret.length != AUTH_BYTES) {
            throw new IllegalArgumentException("a P-256 key is 65 bytes starting with 4, an auth secret 16 bytes");
        }
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec curve = parameters.getParameterSpec(ECParameterSpec.class);
            ECPrivateKey privateKey = (ECPrivateKey) KeyFactory.getInstance("EC")
                    .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, privateScalar), curve));
            return new WebPushKeys(privateKey, publicKey, authSecret);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a P-256 private key: " + e.getMessage(), e);
        }
    }

    /** The public key, uncompressed, base64url without padding: the subscription's {@code p256dh}. */
    public String p256dh() {
        return BASE64URL.encodeToString(publicKey);
    }

    /** The authentication secret, base64url without padding: the subscription's {@code auth}. */
    public String auth() {
        return BASE64URL.encodeToString(authSecret);
    }

    /**
     * Opens an {@code aes128gcm} body encrypted for these keys (RFC 8291 §3.4, RFC 8188 §2).
     *
     * @throws IllegalArgumentException if the body is malformed or was not encrypted for these keys
     */
    public byte[] decrypt(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        if (in.remaining() < SALT_BYTES + 5) {
            throw new IllegalArgumentException("an aes128gcm body has a 21-byte header at least: " + body.length + " bytes");
        }
        byte[] salt = new byte[SALT_BYTES];
        in.get(salt);
        long recordSize = Integer.toUnsignedLong(in.getInt());
        int keyIdLength = Byte.toUnsignedInt(in.get());
        if (keyIdLength != PUBLIC_KEY_BYTES || in.remaining() < keyIdLength || recordSize <= TAG_BYTES + 1) {
            throw new IllegalArgumentException("RFC 8291 puts the sender's 65-byte key in the header; record size " + recordSize);
        }
        byte[] senderKey = new byte[keyIdLength];
        in.get(senderKey);
        try {
            byte[] ecdhSecret = agree(senderKey);
            // RFC 8291 §3.3 and §3.4: IKM from the auth secret and both public keys, then RFC 8188's CEK and nonce
            byte[] keyInfo = concat("WebPush: info".getBytes(StandardCharsets.US_ASCII), new byte[] {0}, publicKey, senderKey);
            byte[] ikm = hkdf(authSecret, ecdhSecret, keyInfo, 32);
            byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
            byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
            ByteBuffer plain = ByteBuffer.allocate(in.remaining());
            for (long sequence = 0; in.hasRemaining(); sequence++) {
                int length = (int) Math.min(recordSize, in.remaining());
                byte[] record = new byte[length];
                in.get(record);
                byte[] opened = open(cek, nonce, sequence, record);
                int end = opened.length - 1;
                while (end >= 0 && opened[end] == 0) {
                    end--;
                }
                boolean last = !in.hasRemaining();
                if (end < 0 || opened[end] != (last ? LAST_RECORD_DELIMITER : RECORD_DELIMITER)) {
                    throw new IllegalArgumentException("record " + sequence + " has no valid padding delimiter");
                }
                plain.put(opened, 0, end);
            }
            return Arrays.copyOf(plain.array(), plain.position());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot decrypt: " + e.getMessage(), e);
        }
    }

    private byte[] agree(byte[] senderKey) throws GeneralSecurityException {
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(senderKey, 1, 33));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(senderKey, 33, 65));
        ECPublicKey sender = (ECPublicKey) KeyFactory.getInstance("EC")
                .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), curve));
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(privateKey);
        agreement.doPhase(sender, true);
        return agreement.generateSecret();
    }

    private static byte[] open(byte[] cek, byte[] nonce, long sequence, byte[] record) throws GeneralSecurityException {
        byte[] recordNonce = nonce.clone();
        for (int i = 0; i < 8; i++) {
            recordNonce[recordNonce.length - 1 - i] ^= (byte) (sequence >>> (8 * i));
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(TAG_BITS, recordNonce));
        return cipher.doFinal(record);
    }

    /** HKDF-SHA-256 (RFC 5869) for outputs of at most one hash length. */
    private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        return Arrays.copyOf(mac.doFinal(), length);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            out.put(part);
        }
        return out.array();
    }

    private static byte[] uncompressed(ECPublicKey key) {
        byte[] out = new byte[PUBLIC_KEY_BYTES];
        out[0] = 4;
        copyFixed(key.getW().getAffineX(), out, 1);
        copyFixed(key.getW().getAffineY(), out, 33);
        return out;
    }

    private static void copyFixed(BigInteger value, byte[] out, int offset) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, out, offset + 32 - length, length);
    }

    static byte[] base64url(String text) {
        return BASE64URL_DECODER.decode(text);
    }
}
