package io.wakeline.broker.gateway.events;

import akka.util.ByteString;

/**
 * Server-Sent Events framing (WHATWG HTML "Server-sent events", text/event-stream). Heartbeats are comment
 * lines: Akka's {@code ServerSentEvent.heartbeat()} is an empty {@code data:} line, which a browser's
 * EventSource dispatches as an empty message.
 */
public final class SseFrames {
    private static final ByteString HEARTBEAT = ByteString.fromString(":\n\n");

    private SseFrames() {
    }

    /** One event; {@code data} must be a single line (our JSON is rendered compact). */
    public static ByteString event(long id, String type, String data) {
        if (data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("SSE data must be one line");
        }
        return ByteString.fromString("id: " + id + "\nevent: " + type + "\ndata: " + data + "\n\n");
    }

    public static ByteString heartbeat() {
        return HEARTBEAT;
    }
}
