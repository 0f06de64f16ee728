package io.wakeline.protocol;

import com.google.protobuf.CodedInputStream;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Takes varint-length-delimited {@link Envelope} frames off a byte buffer.
 *
 * <p>The length prefix is bounded before anything is allocated: at most five prefix bytes, a length of
 * 1..{@code maxFrameBytes}. Anything else, and any body that does not parse to a known Envelope, is a
 * {@link DecodeResult.Malformed} value; no exception leaves {@link #decode(ByteBuffer)}. Stateless, so one
 * instance can serve many links.
 */
public final class FrameDecoder {
    private final int maxFrameBytes;

    public FrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * Decodes one frame starting at {@code in.position()}. On {@link DecodeResult.Frame} the position moves
     * past the frame; on {@link DecodeResult.NeedMoreData} it is unchanged; on {@link DecodeResult.Malformed}
     * with {@link ErrorCode#UNKNOWN_MESSAGE} it is past the frame (decoding may go on), with any other code it
     * is unspecified (the link is to be closed).
     */
    public DecodeResult decode(ByteBuffer in) {
        int start = in.position();
        int available = in.remaining();
        int length = 0;
        int prefixBytes = 0;
        while (true) {
            if (prefixBytes == available) {
                return DecodeResult.NeedMoreData.INSTANCE;
            }
            int b = in.get(start + prefixBytes) & 0xFF;
            if (prefixBytes == LinkProtocol.MAX_LENGTH_PREFIX_BYTES - 1) {
                // The fifth byte is the last a varint32 may use: a continuation bit here means a sixth byte.
                if ((b & 0x80) != 0) {
                    return new DecodeResult.Malformed(ErrorCode.MALFORMED_FRAME, "length prefix longer than 5 bytes");
                }
                if ((b & 0x70) != 0) {
                    return new DecodeResult.Malformed(ErrorCode.FRAME_TOO_LARGE, "length prefix exceeds 32 bits");
                }
            }
            length |= (b & 0x7F) << (7 * prefixBytes);
            prefixBytes++;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (length < 0 || length > maxFrameBytes) {
            return new DecodeResult.Malformed(ErrorCode.FRAME_TOO_LARGE,
                    "frame of " + Integer.toUnsignedString(length) + " bytes exceeds the limit of " + maxFrameBytes);
        }
        if (length == 0) {
            return new DecodeResult.Malformed(ErrorCode.MALFORMED_FRAME, "empty frame");
        }
        if (available - prefixBytes < length) {
            return DecodeResult.NeedMoreData.INSTANCE;
        }
        ByteBuffer body = in.duplicate();
        body.position(start + prefixBytes).limit(start + prefixBytes + length);
        in.position(start + prefixBytes + length);
        return parse(body);
    }

    private static DecodeResult parse(ByteBuffer body) {
        Envelope envelope;
        try {
            envelope = Envelope.parseFrom(CodedInputStream.newInstance(body));
        } catch (IOException e) {
            return new DecodeResult.Malformed(ErrorCode.MALFORMED_FRAME, "not a valid Envelope: " + e.getMessage());
        } catch (RuntimeException e) {
            // protobuf documents only InvalidProtocolBufferException, but garbage must never escape as an exception
            return new DecodeResult.Malformed(ErrorCode.MALFORMED_FRAME, "not a valid Envelope: " + e);
        }
        if (envelope.getBodyCase() == Envelope.BodyCase.BODY_NOT_SET) {
            return new DecodeResult.Malformed(ErrorCode.UNKNOWN_MESSAGE, "envelope carries no known message");
        }
        return new DecodeResult.Frame(envelope);
    }
}
