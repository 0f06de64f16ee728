package io.wakeline.broker.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.gateway.http.RequestHead;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminCredentialTest {

    private static RequestHead authorized(String... authorization) {
        return RequestHead.of("GET", authorization.length == 0 ? Map.of() : Map.of("authorization", List.of(authorization)));
    }

    @Test
    void theAdminCredentialAcceptsOnlyTheBearerToken() {
        AdminCredential credential = new AdminCredential("the-admin-token-123");
        assertTrue(credential.accepts(authorized("Bearer the-admin-token-123")));
        assertTrue(credential.accepts(authorized("bearer the-admin-token-123")));
        assertFalse(credential.accepts(authorized()));
        assertFalse(credential.accepts(authorized("Bearer the-admin-token-12")));
        assertFalse(credential.accepts(authorized("Bearer the-admin-token-1234")));
        assertFalse(credential.accepts(authorized("Basic the-admin-token-123")));
        assertFalse(credential.accepts(authorized("the-admin-token-123")));
        assertFalse(credential.accepts(authorized("Bearer the-admin-token-123", "Bearer the-admin-token-123")),
                "two credentials are not one");
        assertFalse(credential.toString().contains("the-admin"));
    }
}
