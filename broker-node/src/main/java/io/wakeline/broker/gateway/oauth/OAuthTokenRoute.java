package io.wakeline.broker.gateway.oauth;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.completeWithFuture;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.path;
import static akka.http.javadsl.server.Directives.post;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.model.headers.CacheControl;
import akka.http.javadsl.model.headers.CacheDirectives;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wakeline.broker.app.AppEntity.VerifyResult;
import io.wakeline.broker.app.AppRegistry;
import io.wakeline.broker.gateway.http.BodyReader;
import io.wakeline.broker.gateway.http.HeadReader;
import io.wakeline.broker.gateway.http.Json;
import io.wakeline.broker.gateway.http.RejectionRenderer;
import io.wakeline.broker.gateway.http.RequestHead;
import io.wakeline.broker.gateway.oauth.TokenRequestRules.Decision;
import io.wakeline.broker.gateway.oauth.TokenRequestRules.OAuthError;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /accesstoken.srf}: the OAuth 2.0 client-credentials token endpoint of WNS (wns-spec 1).
 * Issues stateless sealed bearer tokens; every failure is a 400 with an OAuth error body (1.9), wrong
 * client id and wrong secret alike ({@code invalid_client}), so the answer does not tell which apps exist.
 */
public final class OAuthTokenRoute {
    private static final Logger log = LoggerFactory.getLogger(OAuthTokenRoute.class);
    public static final String PATH = "accesstoken.srf";
    private static final List<HttpHeader> NO_STORE = List.of(
            CacheControl.create(CacheDirectives.NO_STORE), RawHeader.create("Pragma", "no-cache"));

    private final AppRegistry registry;
    private final AccessTokenSealer sealer;
    private final BodyReader bodies;
    private final int maxFormBytes;
    private final Duration tokenTtl;
    private final Duration retryAfter;
    private final Clock clock;

    /**
     * @param maxFormBytes largest token request body
     * @param tokenTtl     lifetime of an issued token (wns-spec 1.11), sent as {@code expires_in}
     * @param retryAfter   {@code Retry-After} when the app registry does not answer
     */
    public OAuthTokenRoute(AppRegistry registry, AccessTokenSealer sealer, BodyReader bodies, int maxFormBytes,
                           Duration tokenTtl, Duration retryAfter, Clock clock) {
        this.registry = registry;
        this.sealer = sealer;
        this.bodies = bodies;
        this.maxFormBytes = maxFormBytes;
        this.tokenTtl = tokenTtl;
        this.retryAfter = retryAfter;
        this.clock = clock;
    }

    public Route route() {
        return path(PATH, () -> concat(
                post(() -> extractRequest(request -> completeWithFuture(handle(request)))),
                complete(HttpResponse.create()
                        .withStatus(StatusCodes.METHOD_NOT_ALLOWED)
                        .addHeader(Allow.create(HttpMethods.POST)))));
    }

    CompletionStage<HttpResponse> handle(HttpRequest request) {
        RequestHead head = HeadReader.read(request, name -> false);
        return bodies.read(request.entity(), maxFormBytes)
                .thenApply(body -> body instanceof BodyReader.Body.Read read
                        ? TokenRequestRules.evaluate(head, new String(read.bytes(), StandardCharsets.UTF_8))
                        : new Decision.Refuse(OAuthError.INVALID_REQUEST, "Request body unreadable or too large"))
                .thenCompose(decision -> {
                    if (decision instanceof Decision.Refuse refuse) {
                        return CompletableFuture.completedFuture(error(refuse.error(), refuse.description()));
                    }
                    return authenticate((Decision.Authenticate) decision);
                });
    }

    private CompletionStage<HttpResponse> authenticate(Decision.Authenticate request) {
        return registry.verify(request.packageSid(), request.clientSecret()).handle((result, failure) -> {
            if (failure != null) {
                log.warn("App registry unavailable for token request packageSid={}", request.packageSid(), failure);
                return unavailable();
            }
            if (result != VerifyResult.VERIFIED) {
                log.info("Token refused packageSid={} result={}", request.packageSid(), result);
                return error(OAuthError.INVALID_CLIENT, "Client authentication failed");
            }
            long now = clock.millis();
            long ttlSeconds = tokenTtl.toSeconds();
            String token = sealer.seal(new AccessToken(request.packageSid(), now, now + ttlSeconds * 1000));
            log.debug("Token issued packageSid={}", request.packageSid());
            return json(200, Json.object()
                    .put("access_token", token)
                    .put("token_type", "bearer")
                    .put("expires_in", ttlSeconds));
        });
    }

    /** RFC 6749 §5.2: every refusal is a 400 with the OAuth error code (wns-spec 1.9). */
    private static HttpResponse error(OAuthError error, String description) {
        return json(400, Json.object().put("error", error.code()).put("error_description", description));
    }

    private HttpResponse unavailable() {
        return json(503, Json.object()
                        .put("error", "temporarily_unavailable")
                        .put("error_description", "Try again later"))
                .addHeader(RejectionRenderer.retryAfter(retryAfter));
    }

    private static HttpResponse json(int status, ObjectNode body) {
        return HttpResponse.create()
                .withStatus(status)
                .addHeaders(NO_STORE)
                .withEntity(Json.entity(body));
    }
}
