package io.wakeline.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.ErrorCode;
import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.Ping;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static final int MAX = LinkProtocol.DEFAULT_MAX_FRAME_BYTES;
    private final FrameDecoder decoder = new FrameDecoder(MAX);

    @Test
    void frameDecodesOnlyOnceItsLastByteHasArrived() {
        for (Envelope envelope : SampleEnvelopes.everyBody().values()) {
            byte[] frame = FrameEncoder.encode(envelope);
            for (int arrived = 0; arrived < frame.length; arrived++) {
                ByteBuffer partial = bufferAt(7, frame, arrived);

                assertSame(DecodeResult.NeedMoreData.INSTANCE, decoder.decode(partial),
                        envelope.getBodyCase() + " with " + arrived + " of " + frame.length + " bytes");
                assertEquals(7, partial.position(), "nothing consumed while the frame is incomplete");
            }
            ByteBuffer complete = bufferAt(7, frame, frame.length);
            assertEquals(new DecodeResult.Frame(envelope), decoder.decode(complete));
            assertEquals(7 + frame.length, complete.position());
        }
    }

    @Test
    void framesBackToBackInOneBufferDecodeInOrder() {
        List<Envelope> sent = new ArrayList<>(SampleEnvelopes.everyBody().values());
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        sent.forEach(envelope -> wire.writeBytes(FrameEncoder.encode(envelope)));
        byte[] trailingPart = FrameEncoder.encode(sent.get(0));
        wire.write(trailingPart, 0, trailingPart.length - 1);
        ByteBuffer in = ByteBuffer.wrap(wire.toByteArray());

        List<Envelope> received = new ArrayList<>();
        DecodeResult result;
        while ((result = decoder.decode(in)) instanceof DecodeResult.Frame frame) {
            received.add(frame.envelope());
        }

        assertEquals(sent, received);
        assertSame(DecodeResult.NeedMoreData.INSTANCE, result);
        assertEquals(in.limit() - (trailingPart.length - 1), in.position(), "the partial frame stays in the buffer");
    }

    @Test
    void truncatedLengthPrefixNeedsMoreData() {
        ByteBuffer in = ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 0x80});

        assertSame(DecodeResult.NeedMoreData.INSTANCE, decoder.decode(in));
        assertEquals(0, in.position());
    }

    @Test
    void sixByteLengthPrefixIsMalformed() {
        // 1 written with six varint bytes: valid for protobuf's 64-bit reader, not for a varint32 prefix.
        ByteBuffer sixBytes = ByteBuffer.wrap(new byte[] {(byte) 0x81, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00, 0x2A});
        ByteBuffer fiveContinuations = ByteBuffer.wrap(new byte[] {(byte) 0x81, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80});

        assertEquals(ErrorCode.MALFORMED_FRAME, malformed(decoder.decode(sixBytes)).code());
        assertEquals(ErrorCode.MALFORMED_FRAME, malformed(decoder.decode(fiveContinuations)).code(),
                "rejected as soon as the fifth byte asks for a sixth, without waiting for it");
    }

    @Test
    void lengthAboveTheMaximumIsRejectedFromThePrefixAlone() {
        ByteBuffer oneOver = ByteBuffer.wrap(varint(MAX + 1));
        ByteBuffer beyond32Bits = ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F});
        ByteBuffer signBit = ByteBuffer.wrap(varint(Integer.MIN_VALUE));

        assertEquals(ErrorCode.FRAME_TOO_LARGE, malformed(decoder.decode(oneOver)).code());
        assertEquals(ErrorCode.FRAME_TOO_LARGE, malformed(decoder.decode(beyond32Bits)).code());
        assertEquals(ErrorCode.FRAME_TOO_LARGE, malformed(decoder.decode(signBit)).code());
        assertTrue(malformed(decoder.decode(ByteBuffer.wrap(varint(MAX + 1)))).closesLink());
    }

    @Test
    void lengthOfExactlyTheMaximumIsAccepted() {
        FrameDecoder small = new FrameDecoder(64);
        Envelope fits = notificationWithSerializedSize(64);
        byte[] frame = FrameEncoder.encode(fits);

        assertEquals(new DecodeResult.Frame(fits), small.decode(ByteBuffer.wrap(frame)));
        assertEquals(ErrorCode.FRAME_TOO_LARGE,
                malformed(small.decode(ByteBuffer.wrap(FrameEncoder.encode(notificationWithSerializedSize(65))))).code());
    }

    @Test
    void hugeAnnouncedLengthAllocatesNothing() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "needs per-thread allocation counters");
        com.sun.management.ThreadMXBean counters = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counters.isThreadAllocatedMemorySupported() && counters.isThreadAllocatedMemoryEnabled());
        ByteBuffer twoGigabytes = ByteBuffer.wrap(varint(Integer.MAX_VALUE));
        decoder.decode(twoGigabytes.duplicate()); // warm up class loading and the string concatenation bootstrap

        long before = counters.getThreadAllocatedBytes(Thread.currentThread().getId());
        DecodeResult result = decoder.decode(twoGigabytes);
        long allocated = counters.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;

        assertEquals(ErrorCode.FRAME_TOO_LARGE, malformed(result).code());
        assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes for a rejected 2 GiB frame");
    }

    @Test
    void zeroLengthFrameIsMalformed() {
        DecodeResult result = decoder.decode(ByteBuffer.wrap(new byte[] {0x00, 0x2A, 0x00}));

        assertEquals(ErrorCode.MALFORMED_FRAME, malformed(result).code());
        assertTrue(malformed(result).closesLink());
    }

    @Test
    void bodyThatIsNotProtobufIsMalformed() {
        // field 1, length-delimited, claims 5 bytes but the frame ends after 1
        byte[] body = {0x0A, 0x05, 0x01};
        DecodeResult result = decoder.decode(ByteBuffer.wrap(frameOf(body)));

        assertEquals(ErrorCode.MALFORMED_FRAME, malformed(result).code());
        assertTrue(malformed(result).closesLink());
    }

    @Test
    void validProtobufWithNoKnownBodyIsUnknownMessageAndLeavesTheStreamInSync() {
        // field 99, length-delimited "abc": a body type from a future protocol revision
        byte[] futureBody = {(byte) 0x9A, 0x06, 0x03, 'a', 'b', 'c'};
        Envelope ping = Envelope.newBuilder().setPing(Ping.newBuilder().setNonce(5)).build();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(frameOf(futureBody));
        wire.writeBytes(FrameEncoder.encode(ping));
        ByteBuffer in = ByteBuffer.wrap(wire.toByteArray());

        DecodeResult first = decoder.decode(in);
        DecodeResult second = decoder.decode(in);

        assertEquals(ErrorCode.UNKNOWN_MESSAGE, malformed(first).code());
        assertFalse(malformed(first).closesLink());
        assertEquals(new DecodeResult.Frame(ping), second);
        assertFalse(in.hasRemaining());
    }

    @Test
    void unknownFieldsInsideAKnownBodyAreIgnored() {
        Envelope ping = Envelope.newBuilder().setPing(Ping.newBuilder().setNonce(5)).build();
        byte[] pingBody = ping.toByteArray();
        byte[] withExtraField = new byte[pingBody.length + 2];
        System.arraycopy(pingBody, 0, withExtraField, 0, pingBody.length);
        withExtraField[1] += 2; // the Ping submessage grows by the extra field
        withExtraField[pingBody.length] = (9 << 3); // field 9, varint: a field a newer Ping might carry
        withExtraField[pingBody.length + 1] = 0x01;

        DecodeResult result = decoder.decode(ByteBuffer.wrap(frameOf(withExtraField)));

        assertEquals(5, assertInstanceOf(DecodeResult.Frame.class, result).envelope().getPing().getNonce());
    }

    @Test
    void decodedPayloadDoesNotAliasTheReadBuffer() {
        Envelope sent = SampleEnvelopes.everyBody().get(Envelope.BodyCase.NOTIFICATION);
        byte[] frame = FrameEncoder.encode(sent);
        for (ByteBuffer in : List.of(ByteBuffer.allocate(frame.length), ByteBuffer.allocateDirect(frame.length))) {
            in.put(frame).flip();

            Envelope received = assertInstanceOf(DecodeResult.Frame.class, decoder.decode(in)).envelope();
            in.clear();
            in.put(new byte[frame.length]); // a link reuses its read buffer for the next bytes

            assertEquals(sent, received);
        }
    }

    @Test
    void decodesFromASlicedBuffer() {
        Envelope sent = SampleEnvelopes.everyBody().get(Envelope.BodyCase.CHANNEL_ISSUED);
        byte[] frame = FrameEncoder.encode(sent);
        byte[] backing = new byte[frame.length + 20];
        System.arraycopy(frame, 0, backing, 11, frame.length);
        ByteBuffer slice = ByteBuffer.wrap(backing, 11, frame.length).slice();

        assertEquals(new DecodeResult.Frame(sent), decoder.decode(slice));
    }

    @Test
    void encodeIntoATooSmallBufferFails() {
        Envelope sent = SampleEnvelopes.everyBody().get(Envelope.BodyCase.NOTIFICATION);
        ByteBuffer out = ByteBuffer.allocate(FrameEncoder.frameSize(sent) - 1);

        assertThrows(UncheckedIOException.class, () -> FrameEncoder.encodeInto(sent, out));
    }

    @Test
    void maximumMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(0));
        assertEquals(MAX, decoder.maxFrameBytes());
    }

    private static DecodeResult.Malformed malformed(DecodeResult result) {
        return assertInstanceOf(DecodeResult.Malformed.class, result);
    }

    /** A buffer holding the first {@code count} bytes of {@code frame}, starting at {@code offset}. */
    private static ByteBuffer bufferAt(int offset, byte[] frame, int count) {
        ByteBuffer buffer = ByteBuffer.allocate(offset + frame.length);
        buffer.position(offset);
        buffer.put(frame, 0, count);
        buffer.limit(offset + count).position(offset);
        return buffer;
    }

    static byte[] frameOf(byte[] body) {
        byte[] prefix = varint(body.length);
        byte[] frame = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(body, 0, frame, prefix.length, body.length);
        return frame;
    }

    static byte[] varint(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rest = value;
        while ((rest & ~0x7F) != 0) {
            out.write((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.write(rest);
        return out.toByteArray();
    }

    private static Envelope notificationWithSerializedSize(int size) {
        for (int payload = 0; payload < size; payload++) {
            Envelope candidate = Envelope.newBuilder().setNotification(Notification.newBuilder()
                    .setDeliveryId(1)
                    .setPayload(ByteString.copyFrom(new byte[payload]))).build();
            if (candidate.getSerializedSize() == size) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("no notification serializes to " + size + " bytes");
    }
}
