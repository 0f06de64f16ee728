package io.wakeline.broker.device.control;

import java.nio.charset.StandardCharsets;

/** Outboxes for the tests of the control rule objects: messages accepted as the entity would journal them. */
final class Outboxes {
    static final String APP = "ms-app://S-1-15-2-1";
    static final ControlOutbox.Retention RETENTION = new ControlOutbox.Retention(60_000, 10, 100);
    static final long NEVER = Long.MAX_VALUE;

    private Outboxes() {
    }

    /** {@code outbox} with one more message on the channel, accepted at {@code now}. */
    static ControlOutbox withMessage(ControlOutbox outbox, String channel, String body, long now, long expiresAt) {
        ControlOutbox.Enqueue decision = outbox.enqueue(APP, channel, "", channel + "-" + body,
                body.getBytes(StandardCharsets.UTF_8), now, expiresAt, 100);
        return outbox.apply(((ControlOutbox.Enqueue.Accepted) decision).event(), RETENTION);
    }

    static ControlOutbox withMessages(String channel, int n) {
        ControlOutbox outbox = ControlOutbox.EMPTY;
        for (int i = 1; i <= n; i++) {
            outbox = withMessage(outbox, channel, "m" + i, 0, NEVER);
        }
        return outbox;
    }
}
