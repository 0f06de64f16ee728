package io.wakeline.broker.gateway.http;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code X-WNS-Msg-ID} values: 16 upper-case hex characters (wns-spec 3.1), unique per node.
 *
 * <p>A counter that starts at a random 64-bit value: no randomness per message (a send must stay cheap),
 * no repeat within a node before 2^64 ids, and two nodes collide only if their counters happen to start
 * within the number of messages they issue of each other.
 */
public final class MessageIds {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private final AtomicLong next;

    public MessageIds() {
        this(new SecureRandom().nextLong());
    }

    MessageIds(long start) {
        this.next = new AtomicLong(start);
    }

    public String next() {
        long value = next.getAndIncrement();
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        return new String(out);
    }
}
