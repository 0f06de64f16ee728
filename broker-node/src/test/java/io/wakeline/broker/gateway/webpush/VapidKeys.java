package io.wakeline.broker.gateway.webpush;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/** An application server's VAPID key pair for tests, signing JWTs the way RFC 8292 libraries do. */
public final class VapidKeys {
    private final KeyPair pair;

    private VapidKeys(KeyPair pair) {
        this.pair = pair;
    }

    public static VapidKeys generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new VapidKeys(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The 65-byte uncompressed point. */
    public byte[] publicKey() {
        ECPublicKey key = (ECPublicKey) pair.getPublic();
        byte[] out = new byte[65];
        out[0] = 0x04;
        copy32(key.getW().getAffineX(), out, 1);
        copy32(key.getW().getAffineY(), out, 33);
        return out;
    }

    public String publicKeyBase64Url() {
        return b64(publicKey());
    }

    /** A JWT with the given header and claims (JSON), signed ES256 (raw R || S). */
    public String jwt(String headerJson, String claimsJson) {
        String signingInput = b64(headerJson.getBytes(StandardCharsets.UTF_8)) + "." + b64(claimsJson.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(pair.getPrivate());
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64(rawSignature(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String jwt(String audience, long expSeconds) {
        return jwt("{\"typ\":\"JWT\",\"alg\":\"ES256\"}",
                "{\"aud\":\"" + audience + "\",\"exp\":" + expSeconds + ",\"sub\":\"mailto:ops@example.com\"}");
    }

    /** {@code vapid t=…, k=…} for {@code audience}, expiring in 12 hours. */
    public String authorization(String audience, long nowMillis) {
        return "vapid t=" + jwt(audience, nowMillis / 1000 + 12 * 3600) + ", k=" + publicKeyBase64Url();
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** DER {@code SEQUENCE { INTEGER r, INTEGER s }} to JWS {@code R || S}. */
    static byte[] rawSignature(byte[] der) {
        int offset = 2;
        int rLength = der[offset + 1];
        byte[] r = Arrays.copyOfRange(der, offset + 2, offset + 2 + rLength);
        offset = offset + 2 + rLength;
        int sLength = der[offset + 1];
        byte[] s = Arrays.copyOfRange(der, offset + 2, offset + 2 + sLength);
        byte[] raw = new byte[64];
        copy32(new BigInteger(1, r), raw, 0);
        copy32(new BigInteger(1, s), raw, 32);
        return raw;
    }

    private static void copy32(BigInteger value, byte[] out, int at) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, out, at + 32 - length, length);
    }
}
