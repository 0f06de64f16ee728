package io.wakeline.broker.gateway.admin;

import io.wakeline.broker.gateway.http.RequestHead;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks {@code Authorization: Bearer <admin token>}. Both sides are hashed before the constant-time
 * comparison, so neither the content nor the length of the expected token shows in the timing.
 */
public final class AdminCredential {
    private final byte[] expectedDigest;

    public AdminCredential(String adminToken) {
        if (adminToken == null || adminToken.isEmpty()) {
            throw new IllegalArgumentException("admin token must not be empty");
        }
        this.expectedDigest = sha256(adminToken);
    }

    /** Whether the request carries exactly one {@code Authorization: Bearer <admin token>}. */
    public boolean accepts(RequestHead head) {
        return head.bearer() instanceof RequestHead.Bearer.Token bearer
                && MessageDigest.isEqual(expectedDigest, sha256(bearer.token()));
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
