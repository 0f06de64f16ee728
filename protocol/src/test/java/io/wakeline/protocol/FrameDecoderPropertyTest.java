package io.wakeline.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.NotificationType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class FrameDecoderPropertyTest {
    private final FrameDecoder decoder = new FrameDecoder(256);

    @Property(tries = 2000)
    void arbitraryBytesNeverThrowAndAlwaysGiveATypedResult(@ForAll("wireGarbage") byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // each Frame consumes at least two bytes, so this bound is never the reason the loop stops
        for (int step = 0; step <= bytes.length; step++) {
            int before = in.position();
            DecodeResult result = decoder.decode(in);
            if (result instanceof DecodeResult.Frame) {
                assertTrue(in.position() > before);
            } else if (result instanceof DecodeResult.Malformed malformed) {
                if (malformed.closesLink()) {
                    return;
                }
                assertTrue(in.position() > before, "an unknown body is skipped, not re-read");
            } else {
                assertEquals(DecodeResult.NeedMoreData.INSTANCE, result);
                assertEquals(before, in.position());
                return;
            }
        }
        throw new AssertionError("decoder made no progress on " + bytes.length + " bytes");
    }

    @Property(tries = 500)
    void anyNotificationSurvivesEncodeThenDecode(@ForAll("notifications") Envelope sent) {
        FrameDecoder roomy = new FrameDecoder(LinkProtocol.DEFAULT_MAX_FRAME_BYTES);
        ByteBuffer in = ByteBuffer.wrap(FrameEncoder.encode(sent));

        assertEquals(new DecodeResult.Frame(sent), roomy.decode(in));
        assertEquals(in.limit(), in.position());
    }

    @Property(tries = 300)
    void framesArrivingInArbitraryChunksDecodeToTheSameSequence(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 64) Integer> chunkSizes) {
        List<Envelope> sent = new ArrayList<>(SampleEnvelopes.everyBody().values());
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        sent.forEach(envelope -> wire.writeBytes(FrameEncoder.encode(envelope)));
        byte[] bytes = wire.toByteArray();
        FrameDecoder roomy = new FrameDecoder(LinkProtocol.DEFAULT_MAX_FRAME_BYTES);
        ByteBuffer accumulator = ByteBuffer.allocate(bytes.length);
        accumulator.flip();

        List<Envelope> received = new ArrayList<>();
        int offset = 0;
        int chunk = 0;
        while (offset < bytes.length) {
            int size = Math.min(chunkSizes.get(chunk++ % chunkSizes.size()), bytes.length - offset);
            accumulator.compact().put(bytes, offset, size).flip();
            offset += size;
            DecodeResult result;
            while ((result = roomy.decode(accumulator)) instanceof DecodeResult.Frame frame) {
                received.add(frame.envelope());
            }
            assertEquals(DecodeResult.NeedMoreData.INSTANCE, result);
        }

        assertEquals(sent, received);
    }

    @Provide
    Arbitrary<byte[]> wireGarbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        // a plausible prefix in front of random bytes reaches the protobuf parser far more often
        Arbitrary<byte[]> prefixedRandom = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300)
                .map(FrameDecoderTest::frameOf);
        return Arbitraries.oneOf(random, prefixedRandom);
    }

    @Provide
    Arbitrary<Envelope> notifications() {
        return Combinators.combine(
                Arbitraries.longs(),
                Arbitraries.strings().ofMaxLength(80),
                Arbitraries.of(NotificationType.RAW, NotificationType.TOAST, NotificationType.TILE, NotificationType.BADGE),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(5 * 1024),
                Arbitraries.strings().alpha().numeric().ofMaxLength(32),
                Arbitraries.longs().greaterOrEqual(0))
                .as((deliveryId, appId, type, payload, messageId, sentAt) -> Envelope.newBuilder()
                        .setNotification(Notification.newBuilder()
                                .setDeliveryId(deliveryId)
                                .setAppId(appId)
                                .setType(type)
                                .setPayload(ByteString.copyFrom(payload))
                                .setMessageId(messageId)
                                .setChannelId("ch-" + messageId)
                                .setSentAtMillis(sentAt))
                        .build());
    }
}
