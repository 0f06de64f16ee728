package io.wakeline.broker.gateway.app;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.completeWithFuture;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.path;
import static akka.http.javadsl.server.Directives.post;

import akka.actor.typed.ActorSystem;
import akka.stream.Materializer;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.model.headers.CacheControl;
import akka.http.javadsl.model.headers.CacheDirectives;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wakeline.broker.app.AppEntity.VerifyResult;
import io.wakeline.broker.app.AppRegistry;
import io.wakeline.broker.gateway.app.TokenRequestRules.Decision;
import io.wakeline.broker.gateway.app.TokenRequestRules.OAuthError;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<HttpHeader> NO_STORE = List.of(
            CacheControl.create(CacheDirectives.NO_STORE), RawHeader.create("Pragma", "no-cache"));

    private final Materializer materializer;
    private final AppRegistry registry;
    private final AccessTokenSealer sealer;
    private final AppGatewaySettings settings;
    private final Clock clock;

    public OAuthTokenRoute(ActorSystem<?> system, AppRegistry registry, AccessTokenSealer sealer,
                           AppGatewaySettings settings, Clock clock) {
        this.materializer = Materializer.matFromSystem(system);
        this.registry = registry;
        this.sealer = sealer;
        this.settings = settings;
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
        Optional<String> mediaType = request.entity().getContentType() == ContentTypes.NO_CONTENT_TYPE
                ? Optional.empty()
                : Optional.of(WnsSendRoute.mediaTypeOf(request.entity().getContentType().mediaType()));
        return BoundedEntity.read(request.entity(), settings.maxFormBytes(), settings.drainLimit(), settings.bodyTimeout(),
                        materializer)
                .thenApply(bytes -> TokenRequestRules.evaluate(mediaType, new String(bytes, StandardCharsets.UTF_8)))
                .exceptionally(failure -> new Decision.Refuse(OAuthError.INVALID_REQUEST, "Request body unreadable or too large"))
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
            long ttlSeconds = settings.accessTokenTtl().toSeconds();
            String token = sealer.seal(new AccessToken(request.packageSid(), now, now + ttlSeconds * 1000));
            ObjectNode body = JSON.createObjectNode()
                    .put("access_token", token)
                    .put("token_type", "bearer")
                    .put("expires_in", ttlSeconds);
            log.debug("Token issued packageSid={}", request.packageSid());
            return json(200, body);
        });
    }

    private static HttpResponse error(OAuthError error, String description) {
        return json(400, JSON.createObjectNode().put("error", error.code()).put("error_description", description));
    }

    private HttpResponse unavailable() {
        return json(503, JSON.createObjectNode()
                        .put("error", "temporarily_unavailable")
                        .put("error_description", "Try again later"))
                .addHeader(RetryAfter.create(Math.max(1L, settings.retryAfter().toSeconds())));
    }

    private static HttpResponse json(int status, ObjectNode body) {
        return HttpResponse.create()
                .withStatus(status)
                .addHeaders(NO_STORE)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
    }
}
