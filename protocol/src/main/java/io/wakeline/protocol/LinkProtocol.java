package io.wakeline.protocol;

/** Constants of the device link shared by the broker and every device implementation. */
public final class LinkProtocol {
    /** Protocol version spoken by this build (Hello.protocol_version, Challenge.protocol_version). */
    public static final int VERSION = 1;
    /** Default upper bound of one frame's body, in bytes; brokers and devices may configure another. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024;
    /** A varint32 never needs more than five bytes. */
    public static final int MAX_LENGTH_PREFIX_BYTES = 5;
    /** Size of the broker's authentication nonce. */
    public static final int NONCE_BYTES = 32;
    /** Longest accepted device id. */
    public static final int MAX_DEVICE_ID_LENGTH = 128;

    private LinkProtocol() {
    }

    /** Device ids are 1..128 characters of {@code [A-Za-z0-9._:-]}: safe in logs, URLs and persistence ids. */
    public static boolean isValidDeviceId(String deviceId) {
        if (deviceId == null || deviceId.isEmpty() || deviceId.length() > MAX_DEVICE_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < deviceId.length(); i++) {
            char c = deviceId.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
