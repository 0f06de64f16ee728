package io.wakeline.protocol;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Device authentication material (docs/protocol.md, § 6 "Credentials", which has a test vector).
 *
 * <p>A fleet operator holds one fleet secret. Each device's credential is
 * {@code HMAC-SHA256(fleetSecret, "wakeline-device-v1" || deviceId)}, provisioned onto the device at
 * manufacture or enrolment; the broker recomputes it, so it stores nothing per device. On each link the
 * device proves possession without sending it: {@code proof = HMAC-SHA256(credential, "wakeline-auth-v1" ||
 * nonce || deviceId)}.
 */
public final class DeviceCredentials {
    private static final byte[] CREDENTIAL_LABEL = "wakeline-device-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROOF_LABEL = "wakeline-auth-v1".getBytes(StandardCharsets.US_ASCII);

    private DeviceCredentials() {
    }

    public static byte[] deriveCredential(byte[] fleetSecret, String deviceId) {
        return hmac(fleetSecret, CREDENTIAL_LABEL, deviceId.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] proof(byte[] credential, byte[] nonce, String deviceId) {
        return hmac(credential, PROOF_LABEL, nonce, deviceId.getBytes(StandardCharsets.UTF_8));
    }

    /** Constant-time check of a device's proof against the fleet secret. */
    public static boolean verify(byte[] fleetSecret, String deviceId, byte[] nonce, byte[] proof) {
        byte[] expected = proof(deriveCredential(fleetSecret, deviceId), nonce, deviceId);
        return MessageDigest.isEqual(expected, proof);
    }

    private static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java 17 runtime", e);
        }
    }
}
