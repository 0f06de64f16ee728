package io.wakeline.broker.console;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {
    private final ConsoleSessions sessions = new ConsoleSessions("admin-token-for-tests", Duration.ofHours(8));

    @Test
    void aSessionIsValidUntilItExpires() {
        String session = sessions.open(1_000);
        assertTrue(sessions.isValid(Optional.of(session), 1_000 + Duration.ofHours(8).toMillis() - 1));
        assertFalse(sessions.isValid(Optional.of(session), 1_000 + Duration.ofHours(8).toMillis()));
    }

    @Test
    void anotherAdminTokenAnAlteredSessionOrNoneAreRefused() {
        String session = sessions.open(1_000);
        assertFalse(new ConsoleSessions("another-admin-token", Duration.ofHours(8)).isValid(Optional.of(session), 2_000),
                "rotating the admin token ends the sessions");
        char last = session.charAt(session.length() - 1);
        assertFalse(sessions.isValid(Optional.of(session.substring(0, session.length() - 1) + (last == 'A' ? 'B' : 'A')), 2_000));
        assertFalse(sessions.isValid(Optional.empty(), 2_000));
        assertFalse(sessions.isValid(Optional.of(""), 2_000));
    }
}
