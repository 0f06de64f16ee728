package io.wakeline.loadtest;

import java.nio.ByteBuffer;

/**
 * The bytes of every raw notification the load test sends, so a device-side check can correlate
 * what arrived with what was sent and measure end-to-end delay.
 *
 * <pre>
 * offset  size  content
 *  0       8    sequence number, big-endian, 0-based over the whole run (warm-up included), unique per run
 *  8       8    intended send time, nanoseconds since the Unix epoch, big-endian
 * 16       n-16 filler: ASCII 'a'..'z' repeating, byte at offset i is 'a' + (i - 16) % 26
 * </pre>
 *
 * The time is the scheduled (intended) send time, not the moment the request left, so a receiver
 * on the same clock sees delay including any time the sender fell behind its schedule.
 */
public final class PayloadLayout {

    public static final int STAMP_BYTES = 16;

    private static final int LETTERS = 26;

    private PayloadLayout() {
    }

    /** What the first {@link #STAMP_BYTES} bytes of a payload say. */
    public record Stamp(long sequence, long intendedSendEpochNanos) {
    }

    public static byte[] encode(Stamp stamp, int payloadBytes) {
        if (payloadBytes < STAMP_BYTES) {
            throw new IllegalArgumentException("payload must hold the " + STAMP_BYTES + "-byte stamp, got " + payloadBytes);
        }
        byte[] payload = new byte[payloadBytes];
        ByteBuffer.wrap(payload).putLong(stamp.sequence()).putLong(stamp.intendedSendEpochNanos());
        for (int i = STAMP_BYTES; i < payloadBytes; i++) {
            payload[i] = fillerAt(i);
        }
        return payload;
    }

    public static Stamp decodeStamp(byte[] payload) {
        if (payload.length < STAMP_BYTES) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes cannot hold a stamp");
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        return new Stamp(buffer.getLong(), buffer.getLong());
    }

    /** True when everything after the stamp is the documented filler, i.e. the payload arrived intact. */
    public static boolean fillerIntact(byte[] payload) {
        for (int i = STAMP_BYTES; i < payload.length; i++) {
            if (payload[i] != fillerAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static byte fillerAt(int offset) {
        return (byte) ('a' + (offset - STAMP_BYTES) % LETTERS);
    }
}
