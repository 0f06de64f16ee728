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
     * The bytes are not a frame this peer can act on.
     *
     * <p>{@link ErrorCode#UNKNOWN_MESSAGE} is the one recoverable case: the frame was well delimited and
     * parsed, only its Envelope body is newer than this peer (docs/protocol.md, "Evolution"). The buffer
     * position is past that frame, the stream is still in sync, and the peer answers {@code Error{code:
     * UNKNOWN_MESSAGE}} and keeps the link. Every other code leaves the stream out of sync: the peer sends an
     * {@code Error} frame with {@link #code()} and {@code fatal = true}, then closes the link.
     */
    record Malformed(ErrorCode code, String reason) implements DecodeResult {

        /** Whether the link must be closed after answering; false only for an unknown Envelope body. */
        public boolean closesLink() {
            return code != ErrorCode.UNKNOWN_MESSAGE;
        }
    }
}
