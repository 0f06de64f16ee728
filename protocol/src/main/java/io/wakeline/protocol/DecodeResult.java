package io.wakeline.protocol;

import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.ErrorCode;

/** Outcome of one attempt to take a frame off a buffer: a message, not enough bytes yet, or a typed error. */
public sealed interface DecodeResult {

    /** A complete, well-formed frame. */
    record Frame(Envelope envelope) implements DecodeResult {
    }

    /** The buffer holds only part of a frame; nothing was consumed. */
    enum NeedMoreData implements DecodeResult {
        INSTANCE
    }

    /**
     * The bytes cannot be a valid frame. After a malformed result the stream is out of sync and the
     * link must be closed (after sending an {@code Error} frame with {@link #code()}).
     */
    record Malformed(ErrorCode code, String reason) implements DecodeResult {
    }
}
