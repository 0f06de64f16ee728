package io.wakeline.broker.gateway.oauth;

/** What an OAuth access token stands for: one app, for a bounded time (wns-spec 1.11, 1.12). */
public record AccessToken(String packageSid, long issuedAtMillis, long expiresAtMillis) {

    public boolean isExpiredAt(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }
}
