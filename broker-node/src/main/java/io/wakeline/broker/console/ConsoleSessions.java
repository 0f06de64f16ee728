package io.wakeline.broker.console;

import io.wakeline.broker.seal.SealedBox;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;

/**
 * Console logins: a session is its expiry time, sealed (AES-GCM) with a key derived from the admin token. Any node
 * with the same admin token accepts it, nothing is stored, and rotating the token ends every session. The value
 * travels only in an HttpOnly cookie: page scripts never see the token or the session, so neither can leak
 * through the page (an injected script, a URL, a log line).
 */
final class ConsoleSessions {
    private static final String PURPOSE = "wakeline-console-session";

    private final SealedBox box;
    private final Duration ttl;

    ConsoleSessions(String adminToken, Duration ttl) {
        this.box = new SealedBox(sha256(PURPOSE + "\u0000" + adminToken), PURPOSE);
        this.ttl = ttl;
    }

    /** A new session, valid until {@code nowMillis + ttl}. */
    String open(long nowMillis) {
        return box.seal(ByteBuffer.allocate(Long.BYTES).putLong(nowMillis + ttl.toMillis()).array());
    }

    /** Whether {@code session} was sealed here and has not expired at {@code nowMillis}. */
    boolean isValid(Optional<String> session, long nowMillis) {
        return session.flatMap(box::open)
                .filter(plain -> plain.length == Long.BYTES)
                .map(plain -> ByteBuffer.wrap(plain).getLong() > nowMillis)
                .orElse(false);
    }

    Duration ttl() {
        return ttl;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
