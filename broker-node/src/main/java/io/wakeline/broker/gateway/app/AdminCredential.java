package io.wakeline.broker.gateway.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <admin token>}. Both sides are hashed before the constant-time
 * comparison, so neither the content nor the length of the expected token shows in the timing.
 */
public final class AdminCredential {
    private static final String BEARER = "bearer ";
    private final byte[] expectedDigest;

    public AdminCredential(String adminToken) {
        if (adminToken == null || adminToken.isEmpty()) {
            throw new IllegalArgumentException("admin token must not be empty");
        }
        this.expectedDigest = sha256(adminToken);
    }

    public boolean accepts(Optional<String> authorizationHeader) {
        if (authorizationHeader.isEmpty()) {
            return false;
        }
        String value = authorizationHeader.get().trim();
        if (value.length() <= BEARER.length() || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(value.substring(BEARER.length()).trim()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "AdminCredential[<redacted>]";
    }
}
