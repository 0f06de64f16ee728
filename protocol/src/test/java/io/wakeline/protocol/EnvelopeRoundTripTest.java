package io.wakeline.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.wakeline.protocol.v1.Envelope;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnvelopeRoundTripTest {
    private final FrameDecoder decoder = new FrameDecoder(LinkProtocol.DEFAULT_MAX_FRAME_BYTES);

    @Test
    void samplesCoverEveryEnvelopeBody() {
        Set<Envelope.BodyCase> expected = EnumSet.allOf(Envelope.BodyCase.class);
        expected.remove(Envelope.BodyCase.BODY_NOT_SET);
        // A message added to the oneof fails here until it has a sample, and so a round-trip test.
        assertEquals(expected, SampleEnvelopes.everyBody().keySet());
    }

    @Test
    void everySampleSetsEveryFieldOfItsMessage() {
        for (Envelope envelope : SampleEnvelopes.everyBody().values()) {
            FieldDescriptor bodyField = envelope.getOneofFieldDescriptor(Envelope.getDescriptor().getOneofs().get(0));
            List<String> unset = new ArrayList<>();
            collectUnsetFields((Message) envelope.getField(bodyField), bodyField.getName(), unset);
            assertEquals(List.of(), unset, "sample of " + envelope.getBodyCase() + " leaves fields at their default");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Envelope.BodyCase.class, names = "BODY_NOT_SET", mode = EnumSource.Mode.EXCLUDE)
    void everyMessageTypeSurvivesEncodeThenDecode(Envelope.BodyCase body) {
        Envelope sent = SampleEnvelopes.everyBody().get(body);
        byte[] frame = FrameEncoder.encode(sent);
        ByteBuffer in = ByteBuffer.wrap(frame);

        DecodeResult result = decoder.decode(in);

        assertEquals(new DecodeResult.Frame(sent), result);
        assertEquals(frame.length, in.position(), "decoder consumed exactly one frame");
        assertEquals(FrameEncoder.frameSize(sent), frame.length);
    }

    @ParameterizedTest
    @EnumSource(value = Envelope.BodyCase.class, names = "BODY_NOT_SET", mode = EnumSource.Mode.EXCLUDE)
    void encodeIntoWritesTheSameBytesAsEncodeAtTheBufferPosition(Envelope.BodyCase body) {
        Envelope sent = SampleEnvelopes.everyBody().get(body);
        byte[] expected = FrameEncoder.encode(sent);
        for (ByteBuffer out : List.of(ByteBuffer.allocate(expected.length + 10), ByteBuffer.allocateDirect(expected.length + 10))) {
            out.position(3);

            FrameEncoder.encodeInto(sent, out);

            assertEquals(3 + expected.length, out.position());
            byte[] written = new byte[expected.length];
            out.get(3, written);
            assertArrayEquals(expected, written);
        }
    }

    @Test
    void decodedFrameStartsWithItsVarintLength() {
        Envelope ping = SampleEnvelopes.everyBody().get(Envelope.BodyCase.PING);
        byte[] frame = FrameEncoder.encode(ping);
        assertTrue(frame[0] > 0, "short frames have a one-byte prefix");
        assertEquals(frame.length - 1, frame[0]);
        assertInstanceOf(DecodeResult.Frame.class, decoder.decode(ByteBuffer.wrap(frame)));
    }

    private static void collectUnsetFields(Message message, String path, List<String> unset) {
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            String name = path + "." + field.getName();
            if (field.isRepeated()) {
                if (message.getRepeatedFieldCount(field) == 0) {
                    unset.add(name);
                }
            } else if (!message.hasField(field)) {
                unset.add(name);
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                collectUnsetFields((Message) message.getField(field), name, unset);
            }
        }
    }
}
