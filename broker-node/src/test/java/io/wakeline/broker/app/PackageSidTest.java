package io.wakeline.broker.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PackageSidTest {

    @Test
    void acceptsStoreStyleSids() {
        assertTrue(PackageSid.isWellFormed("ms-app://S-1-15-2-2972962901-2322836549-3722629029-1345238579-3987825745-2155616079-650196962"));
        assertTrue(PackageSid.isWellFormed("ms-app://x"));
        assertTrue(PackageSid.isWellFormed("ms-app://" + "a".repeat(200)));
    }

    @Test
    void refusesAnythingElse() {
        assertFalse(PackageSid.isWellFormed(null));
        assertFalse(PackageSid.isWellFormed(""));
        assertFalse(PackageSid.isWellFormed("ms-app://"));
        assertFalse(PackageSid.isWellFormed("ms-app://" + "a".repeat(201)));
        assertFalse(PackageSid.isWellFormed("S-1-15-2-1"));
        assertFalse(PackageSid.isWellFormed("MS-APP://S-1-15-2-1"));
        assertFalse(PackageSid.isWellFormed("ms-app://S-1-15-2-1/../x"));
        assertFalse(PackageSid.isWellFormed("ms-app://S-1 15"));
        assertFalse(PackageSid.isWellFormed("ms-app://S-1-15\n"));
        assertFalse(PackageSid.isWellFormed("ms-app://S_1"));
    }
}
