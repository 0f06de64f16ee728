package io.wakeline.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DeviceCredentialsTest {
    // The worked example of docs/protocol.md, "Credentials": keep the two in step.
    private static final byte[] FLEET_SECRET = SampleEnvelopes.bytes(32, 0x00);
    private static final byte[] NONCE = SampleEnvelopes.bytes(32, 0xA0);
    private static final String DEVICE_ID = "device-42";
    private static final String EXPECTED_CREDENTIAL = "23f021c520e0e0e72315e29a3d02da7402d993299344c2066b2d3d32f119c32d";
    private static final String EXPECTED_PROOF = "23151f35445e1fdc82adcc0560d46e33c5d20d9eb632c534323194c7476cebf9";

    @Test
    void derivationMatchesTheDocumentedTestVector() {
        HexFormat hex = HexFormat.of();
        assertTrue(hex.formatHex(FLEET_SECRET).equals("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
        assertTrue(hex.formatHex(NONCE).equals("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"));

        byte[] credential = DeviceCredentials.deriveCredential(FLEET_SECRET, DEVICE_ID);
        byte[] proof = DeviceCredentials.proof(credential, NONCE, DEVICE_ID);

        assertArrayEquals(hex.parseHex(EXPECTED_CREDENTIAL), credential);
        assertArrayEquals(hex.parseHex(EXPECTED_PROOF), proof);
    }

    @Test
    void proofFromTheRightCredentialVerifies() {
        assertTrue(DeviceCredentials.verify(FLEET_SECRET, DEVICE_ID, NONCE, proofBy(FLEET_SECRET, DEVICE_ID, NONCE)));
    }

    @Test
    void proofFromAnotherFleetSecretIsRejected() {
        byte[] otherSecret = FLEET_SECRET.clone();
        otherSecret[0] ^= 1;

        assertFalse(DeviceCredentials.verify(FLEET_SECRET, DEVICE_ID, NONCE, proofBy(otherSecret, DEVICE_ID, NONCE)));
    }

    @Test
    void proofForAnotherNonceIsRejected() {
        byte[] staleNonce = NONCE.clone();
        staleNonce[31] ^= 1;

        assertFalse(DeviceCredentials.verify(FLEET_SECRET, DEVICE_ID, NONCE, proofBy(FLEET_SECRET, DEVICE_ID, staleNonce)));
    }

    @Test
    void proofOfAnotherDeviceIsRejected() {
        byte[] otherDevicesProof = proofBy(FLEET_SECRET, "device-43", NONCE);

        assertFalse(DeviceCredentials.verify(FLEET_SECRET, DEVICE_ID, NONCE, otherDevicesProof));
    }

    @Test
    void truncatedOrEmptyProofIsRejected() {
        byte[] proof = proofBy(FLEET_SECRET, DEVICE_ID, NONCE);

        assertFalse(DeviceCredentials.verify(FLEET_SECRET, DEVICE_ID, NONCE, Arrays.copyOf(proof, 16)));
        assertFalse(DeviceCredentials.verify(FLEET_SECRET, DEVICE_ID, NONCE, new byte[0]));
    }

    @Test
    void everyDeviceGetsItsOwnCredential() {
        assertFalse(Arrays.equals(DeviceCredentials.deriveCredential(FLEET_SECRET, "device-42"),
                DeviceCredentials.deriveCredential(FLEET_SECRET, "device-43")));
    }

    private static byte[] proofBy(byte[] fleetSecret, String deviceId, byte[] nonce) {
        return DeviceCredentials.proof(DeviceCredentials.deriveCredential(fleetSecret, deviceId), nonce, deviceId);
    }
}
