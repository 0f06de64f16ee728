package io.wakeline.loadtest;

import io.wakeline.loadtest.AccessTokenSource.AccessToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one raw notification the way a WNS app server does (wns-spec 2, 5.2) and renews the token
 * once on 401 (wns-spec 3.2: "get new token, resend"). The returned future never fails: every
 * ending is a {@link SendOutcome}.
 */
final class RawNotificationSender {

    private static final int UNAUTHORIZED = 401;
    private static final int FIRST_ATTEMPT = 1;
    // One resend after renewing the token; a second 401 means the credentials are wrong, not stale.
    private static final int MAX_ATTEMPTS = 2;

    private final AccessTokenSource tokens;
    private final Duration requestTimeout;
    private final boolean requestForStatus;

    RawNotificationSender(AccessTokenSource tokens, Duration requestTimeout, boolean requestForStatus) {
        this.tokens = tokens;
        this.requestTimeout = requestTimeout;
        this.requestForStatus = requestForStatus;
    }

    CompletableFuture<SendOutcome> send(HttpClient client, URI channelUri, byte[] payload) {
        return attempt(client, channelUri, payload, FIRST_ATTEMPT);
    }

    private CompletableFuture<SendOutcome> attempt(HttpClient client, URI channelUri, byte[] payload, int attempt) {
        return tokens.current()
                .thenCompose(token -> client.sendAsync(request(channelUri, payload, token),
                                HttpResponse.BodyHandlers.discarding())
                        .thenCompose(response -> onResponse(response, token, client, channelUri, payload, attempt)))
                .exceptionally(error -> failed(error, attempt));
    }

    private CompletableFuture<SendOutcome> onResponse(HttpResponse<Void> response, AccessToken token,
            HttpClient client, URI channelUri, byte[] payload, int attempt) {
        if (response.statusCode() == UNAUTHORIZED && attempt < MAX_ATTEMPTS) {
            return tokens.renewAfterRejection(token)
                    .thenCompose(renewed -> attempt(client, channelUri, payload, attempt + 1));
        }
        String wnsStatus = response.headers().firstValue(WnsStatus.HEADER)
                .or(() -> response.headers().firstValue(WnsStatus.LEGACY_HEADER))
                .orElse(null);
        return CompletableFuture.completedFuture(new SendOutcome.Answered(response.statusCode(),
                Optional.ofNullable(wnsStatus), response.version(), attempt));
    }

    private HttpRequest request(URI channelUri, byte[] payload, AccessToken token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(channelUri)
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + token.value())
                .header("Content-Type", "application/octet-stream")
                .header("X-WNS-Type", "wns/raw")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        if (requestForStatus) {
            request.header("X-WNS-RequestForStatus", "true");
        }
        return request.build();
    }

    private static SendOutcome failed(Throwable error, int attempt) {
        Throwable cause = AccessTokenSource.unwrap(error);
        if (cause instanceof AccessTokenUnavailable unavailable) {
            return new SendOutcome.TokenUnavailable(unavailable, attempt);
        }
        return new SendOutcome.TransportFailed(cause, attempt);
    }
}
