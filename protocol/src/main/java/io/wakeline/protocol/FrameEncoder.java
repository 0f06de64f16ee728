package io.wakeline.protocol;

import com.google.protobuf.CodedOutputStream;
import io.wakeline.protocol.v1.Envelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** Writes {@link Envelope}s as varint-length-delimited frames. */
public final class FrameEncoder {
    private FrameEncoder() {
    }

    /** Bytes one frame of this envelope takes on the wire, prefix included. */
    public static int frameSize(Envelope envelope) {
        int body = envelope.getSerializedSize();
        return CodedOutputStream.computeUInt32SizeNoTag(body) + body;
    }

    /** The whole frame as a new array. */
    public static byte[] encode(Envelope envelope) {
        byte[] out = new byte[frameSize(envelope)];
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        write(envelope, coded);
        coded.checkNoSpaceLeft();
        return out;
    }

    /** Writes the frame into {@code out} at its position; {@code out} needs {@link #frameSize} bytes free. */
    public static void encodeInto(Envelope envelope, ByteBuffer out) {
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        write(envelope, coded);
    }

    private static void write(Envelope envelope, CodedOutputStream coded) {
        try {
            coded.writeUInt32NoTag(envelope.getSerializedSize());
            envelope.writeTo(coded);
            coded.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("frame does not fit its buffer", e);
        }
    }
}
