package io.wakeline.broker.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void messageIdsAre16HexCharactersAndDoNotRepeat() {
        MessageIds ids = new MessageIds(-2); // crosses the unsigned wrap-around
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = ids.next();
            assertTrue(id.matches("[0-9A-F]{16}"), id);
            assertTrue(seen.add(id), id);
        }
        assertEquals("FFFFFFFFFFFFFFFE", new MessageIds(-2).next());
        assertNotEquals(new MessageIds().next(), new MessageIds().next());
    }
}
