package io.wakeline.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The app server's OAuth access token (wns-spec 1.1-1.9), fetched once and renewed only when the
 * broker rejects it. Many in-flight sends see the same 401 at once; renewal is single-flight so
 * they share one token request instead of stampeding the token endpoint.
 */
final class AccessTokenSource {

    /** The OAuth scope WNS expects from Windows app servers (wns-spec 1.6). */
    static final String SCOPE = "notify.windows.com";

    private static final int OK = 200;
    private static final int MAX_ERROR_BODY_CHARS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A bearer token as the token endpoint issued it. */
    record AccessToken(String value, Duration expiresIn) {
    }

    private final HttpClient client;
    private final URI tokenUri;
    private final String clientId;
    private final String clientSecret;
    private final Duration requestTimeout;
    private final AtomicReference<CompletableFuture<AccessToken>> current = new AtomicReference<>();
    private final AtomicLong refreshes = new AtomicLong();

    AccessTokenSource(HttpClient client, URI tokenUri, String clientId, String clientSecret, Duration requestTimeout) {
        this.client = client;
        this.tokenUri = tokenUri;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.requestTimeout = requestTimeout;
        current.set(fetch());
    }

    /**
     * The token to send with; may still be in flight. A failed fetch is not sticky: the next caller
     * starts another one (counted as a refresh), so a token endpoint that recovers lets the run recover.
     */
    CompletableFuture<AccessToken> current() {
        CompletableFuture<AccessToken> held = current.get();
        if (held.isCompletedExceptionally()) {
            return replace(held);
        }
        return held;
    }

    /** A token other than {@code rejected}: the one another sender already fetched, or a new one. */
    CompletableFuture<AccessToken> renewAfterRejection(AccessToken rejected) {
        CompletableFuture<AccessToken> held = current.get();
        boolean stillHoldingRejected = held.isDone() && !held.isCompletedExceptionally() && rejected.equals(held.join());
        if (stillHoldingRejected || held.isCompletedExceptionally()) {
            return replace(held);
        }
        return held;
    }

    /** How many times a token was fetched after the first one. */
    long refreshes() {
        return refreshes.get();
    }

    private CompletableFuture<AccessToken> replace(CompletableFuture<AccessToken> stale) {
        CompletableFuture<AccessToken> next = new CompletableFuture<>();
        if (!current.compareAndSet(stale, next)) {
            return current.get();
        }
        refreshes.incrementAndGet();
        fetch().whenComplete((token, error) -> {
            if (error == null) {
                next.complete(token);
            } else {
                next.completeExceptionally(error);
            }
        });
        return next;
    }

    private CompletableFuture<AccessToken> fetch() {
        HttpRequest request = HttpRequest.newBuilder(tokenUri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form()))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    if (error != null) {
                        throw new CompletionException(new AccessTokenUnavailable(
                                "token endpoint " + tokenUri + " unreachable: " + error, unwrap(error)));
                    }
                    return parse(response);
                });
    }

    // wns-spec 1.2-1.6: every parameter URL-encoded, exact grant type and scope.
    private String form() {
        return "grant_type=client_credentials"
                + "&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode(SCOPE, StandardCharsets.UTF_8);
    }

    private AccessToken parse(HttpResponse<String> response) {
        if (response.statusCode() != OK) {
            throw new CompletionException(new AccessTokenUnavailable("token endpoint " + tokenUri + " answered "
                    + response.statusCode() + ": " + abbreviate(response.body())));
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            JsonNode token = body.path("access_token");
            if (!token.isTextual() || token.asText().isEmpty()) {
                throw new CompletionException(new AccessTokenUnavailable(
                        "token endpoint answer has no access_token: " + abbreviate(response.body())));
            }
            return new AccessToken(token.asText(), Duration.ofSeconds(body.path("expires_in").asLong(0)));
        } catch (IOException e) {
            throw new CompletionException(new AccessTokenUnavailable(
                    "token endpoint answer is not JSON: " + abbreviate(response.body()), e));
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= MAX_ERROR_BODY_CHARS ? body : body.substring(0, MAX_ERROR_BODY_CHARS) + "...";
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
