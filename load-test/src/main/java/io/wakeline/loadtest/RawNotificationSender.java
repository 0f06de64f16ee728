package io.wakeline.loadtest;

import io.wakeline.loadtest.AccessTokenSource.AccessToken;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
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
    private final PostTransport transport;
    private final boolean requestForStatus;

    RawNotificationSender(AccessTokenSource tokens, PostTransport transport, boolean requestForStatus) {
        this.tokens = tokens;
        this.transport = transport;
        this.requestForStatus = requestForStatus;
    }

    /** @param connection which connection to send on (the caller spreads them round-robin) */
    CompletableFuture<SendOutcome> send(int connection, URI channelUri, byte[] payload) {
        return attempt(connection, channelUri, payload, FIRST_ATTEMPT);
    }

    private CompletableFuture<SendOutcome> attempt(int connection, URI channelUri, byte[] payload, int attempt) {
        return tokens.current()
                .thenCompose(token -> transport.post(connection, request(channelUri, payload, token))
                        .thenCompose(answer -> onAnswer(answer, token, connection, channelUri, payload, attempt)))
                .exceptionally(error -> failed(error, attempt));
    }

    private CompletableFuture<SendOutcome> onAnswer(PostAnswer answer, AccessToken token, int connection,
            URI channelUri, byte[] payload, int attempt) {
        if (answer.statusCode() == UNAUTHORIZED && attempt < MAX_ATTEMPTS) {
            return tokens.renewAfterRejection(token)
                    .thenCompose(renewed -> attempt(connection, channelUri, payload, attempt + 1));
        }
        String wnsStatus = answer.header(WnsStatus.HEADER)
                .or(() -> answer.header(WnsStatus.LEGACY_HEADER))
                .orElse(null);
        return CompletableFuture.completedFuture(new SendOutcome.Answered(answer.statusCode(),
                Optional.ofNullable(wnsStatus), answer.version(), attempt));
    }

    private PostRequest request(URI channelUri, byte[] payload, AccessToken token) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token.value());
        headers.put("Content-Type", "application/octet-stream");
        headers.put("X-WNS-Type", "wns/raw");
        if (requestForStatus) {
            headers.put("X-WNS-RequestForStatus", "true");
        }
        return new PostRequest(channelUri, headers, payload);
    }

    private static SendOutcome failed(Throwable error, int attempt) {
        Throwable cause = AccessTokenSource.unwrap(error);
        if (cause instanceof AccessTokenUnavailable unavailable) {
            return new SendOutcome.TokenUnavailable(unavailable, attempt);
        }
        return new SendOutcome.TransportFailed(cause, attempt);
    }
}
