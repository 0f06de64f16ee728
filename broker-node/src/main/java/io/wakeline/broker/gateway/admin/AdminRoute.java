package io.wakeline.broker.gateway.admin;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.completeWithFuture;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.delete;
import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.path;
import static akka.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static akka.http.javadsl.server.Directives.pathPrefix;
import static akka.http.javadsl.server.Directives.post;
import static akka.http.javadsl.server.Directives.put;

import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.model.headers.CacheControl;
import akka.http.javadsl.model.headers.CacheDirectives;
import akka.http.javadsl.model.headers.HttpChallenge;
import akka.http.javadsl.model.headers.Location;
import akka.http.javadsl.model.headers.WWWAuthenticate;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wakeline.broker.app.AppEntity.AppLookup;
import io.wakeline.broker.app.AppRegistry;
import io.wakeline.broker.device.DeviceInspector;
import io.wakeline.broker.gateway.http.BodyReader;
import io.wakeline.broker.gateway.http.HeadReader;
import io.wakeline.broker.gateway.http.Json;
import io.wakeline.protocol.LinkProtocol;
import io.wakeline.broker.app.PackageSid;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API for app registrations, behind {@code Authorization: Bearer <admin token>}:
 * <ul>
 *   <li>{@code POST /admin/apps} {@code {"packageSid","clientSecret"}}: 201 created, 200 if identical,
 *       409 if registered with another secret;</li>
 *   <li>{@code PUT /admin/apps/{sid}} {@code {"clientSecret"}}: sets the secret, 201 or 200 (rotation);</li>
 *   <li>{@code GET /admin/apps/{sid}}: registration dates, never the secret; 404 if unknown;</li>
 *   <li>{@code DELETE /admin/apps/{sid}}: 204, or 404 if unknown.</li>
 * </ul>
 * The SID in a path is percent-encoded ({@code ms-app%3A%2F%2FS-1-15-2-…}). Answers are JSON; errors are
 * {@code {"error","error_description"}}.
 */
public final class AdminRoute {
    private static final Logger log = LoggerFactory.getLogger(AdminRoute.class);
    /** Bound on a client secret: long enough for any real one, short enough to bound hashing work. */
    static final int MAX_SECRET_LENGTH = 512;

    private final AppRegistry registry;
    private final DeviceInspector devices;
    private final AdminCredential credential;
    private final BodyReader bodies;
    private final int maxBodyBytes;

    /** @param maxBodyBytes largest request body ({@code wakeline.app-gateway.max-form-bytes}) */
    public AdminRoute(AppRegistry registry, DeviceInspector devices, AdminCredential credential, BodyReader bodies,
                      int maxBodyBytes) {
        this.registry = registry;
        this.devices = devices;
        this.credential = credential;
        this.bodies = bodies;
        this.maxBodyBytes = maxBodyBytes;
    }

    public Route route() {
        return pathPrefix("admin", () -> extractRequest(request -> {
            if (!credential.accepts(HeadReader.read(request, "authorization"::equals))) {
                return complete(json(401, error("unauthorized", "Authorization: Bearer <admin token> required"))
                        .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "wakeline-admin"))));
            }
            return concat(
                    pathPrefix("apps", () -> concat(
                            pathEndOrSingleSlash(() -> concat(
                                    post(() -> withJsonBody(request, this::create)),
                                    complete(methodNotAllowed(HttpMethods.POST)))),
                            path(PathMatchers.segment(), sid -> concat(
                                    get(() -> completeWithFuture(lookup(sid))),
                                    put(() -> withJsonBody(request, body -> putSecret(sid, body))),
                                    delete(() -> completeWithFuture(remove(sid))),
                                    complete(methodNotAllowed(HttpMethods.GET, HttpMethods.PUT, HttpMethods.DELETE)))))),
                    pathPrefix("devices", () -> path(PathMatchers.segment(), deviceId -> concat(
                            get(() -> completeWithFuture(inspect(deviceId))),
                            complete(methodNotAllowed(HttpMethods.GET))))),
                    complete(json(404, error("not_found", "No such admin resource"))));
        }));
    }

    /** A device's channels, lock screen, control channels and slots, power state and budgets, as JSON. */
    private CompletionStage<HttpResponse> inspect(String deviceId) {
        if (!LinkProtocol.isValidDeviceId(deviceId)) {
            return CompletableFuture.completedFuture(json(400, error("invalid_request", "Not a valid device id")));
        }
        return devices.inspect(deviceId).handle((view, failure) -> {
            if (failure != null) {
                log.warn("device inspection failed deviceId={}: {}", deviceId, failure.toString());
                return json(503, error("unavailable", "The device's node did not answer; retry"));
            }
            if (view.isEmpty()) {
                return json(404, error("not_found", "No such device"));
            }
            return HttpResponse.create().withStatus(200)
                    // device views are records of records, maps, sets and enums: plain Jackson renders them as they are
                    .withEntity(Json.entity(Json.MAPPER.valueToTree(view.get())));
        });
    }

    private Route withJsonBody(HttpRequest request, Function<JsonNode, CompletionStage<HttpResponse>> handler) {
        CompletionStage<HttpResponse> response = bodies.read(request.entity(), maxBodyBytes)
                .thenCompose(read -> {
                    if (!(read instanceof BodyReader.Body.Read bytes)) {
                        return CompletableFuture.completedFuture(
                                json(400, error("invalid_request", "Body unreadable or too large")));
                    }
                    JsonNode body;
                    try {
                        body = Json.MAPPER.readTree(bytes.bytes());
                    } catch (IOException e) {
                        body = null;
                    }
                    if (body == null || !body.isObject()) {
                        return CompletableFuture.completedFuture(
                                json(400, error("invalid_request", "Body must be a JSON object")));
                    }
                    return handler.apply(body);
                });
        return completeWithFuture(response);
    }

    private CompletionStage<HttpResponse> create(JsonNode body) {
        Optional<String> sid = text(body, "packageSid");
        Optional<String> secret = text(body, "clientSecret");
        Optional<HttpResponse> invalid = invalid(sid, secret);
        if (invalid.isPresent()) {
            return CompletableFuture.completedFuture(invalid.get());
        }
        String packageSid = sid.get();
        return guarded(registry.register(packageSid, secret.get()).thenApply(outcome -> {
            log.info("Admin register packageSid={} outcome={}", packageSid, outcome);
            return switch (outcome) {
                case CREATED -> json(201, status(packageSid, "created")).addHeader(Location.create(appPath(packageSid)));
                case UNCHANGED -> json(200, status(packageSid, "unchanged"));
                case CONFLICT -> json(409, error("conflict",
                        "App is registered with another secret; PUT /admin/apps/{sid} to rotate it"));
            };
        }));
    }

    private CompletionStage<HttpResponse> putSecret(String packageSid, JsonNode body) {
        Optional<String> bodySid = text(body, "packageSid");
        if (bodySid.isPresent() && !bodySid.get().equals(packageSid)) {
            return CompletableFuture.completedFuture(
                    json(400, error("invalid_request", "packageSid in the body differs from the path")));
        }
        Optional<HttpResponse> invalid = invalid(Optional.of(packageSid), text(body, "clientSecret"));
        if (invalid.isPresent()) {
            return CompletableFuture.completedFuture(invalid.get());
        }
        return guarded(registry.putSecret(packageSid, text(body, "clientSecret").get()).thenApply(outcome -> {
            log.info("Admin set secret packageSid={} outcome={}", packageSid, outcome);
            return switch (outcome) {
                case CREATED -> json(201, status(packageSid, "created")).addHeader(Location.create(appPath(packageSid)));
                case ROTATED -> json(200, status(packageSid, "rotated"));
            };
        }));
    }

    private CompletionStage<HttpResponse> lookup(String packageSid) {
        if (!PackageSid.isWellFormed(packageSid)) {
            return CompletableFuture.completedFuture(badSid());
        }
        return guarded(registry.get(packageSid).thenApply(lookup -> {
            if (lookup instanceof AppLookup.Found found) {
                return json(200, Json.object()
                        .put("packageSid", found.packageSid())
                        .put("registeredAt", Instant.ofEpochMilli(found.registeredAtMillis()).toString())
                        .put("secretUpdatedAt", Instant.ofEpochMilli(found.secretUpdatedAtMillis()).toString()));
            }
            return notFound();
        }));
    }

    private CompletionStage<HttpResponse> remove(String packageSid) {
        if (!PackageSid.isWellFormed(packageSid)) {
            return CompletableFuture.completedFuture(badSid());
        }
        return guarded(registry.remove(packageSid).thenApply(removed -> {
            log.info("Admin remove packageSid={} removed={}", packageSid, removed);
            return removed ? HttpResponse.create().withStatus(204) : notFound();
        }));
    }

    private static Optional<HttpResponse> invalid(Optional<String> sid, Optional<String> secret) {
        if (sid.isEmpty() || !PackageSid.isWellFormed(sid.get())) {
            return Optional.of(badSid());
        }
        if (secret.isEmpty() || secret.get().isEmpty()) {
            return Optional.of(json(400, error("invalid_request", "clientSecret must be a non-empty string")));
        }
        if (secret.get().length() > MAX_SECRET_LENGTH) {
            return Optional.of(json(400, error("invalid_request",
                    "clientSecret must be at most " + MAX_SECRET_LENGTH + " characters")));
        }
        return Optional.empty();
    }

    private CompletionStage<HttpResponse> guarded(CompletionStage<HttpResponse> stage) {
        return stage.exceptionally(failure -> {
            log.warn("Admin request failed", failure);
            return json(503, error("unavailable", "App registry did not answer; retry later"));
        });
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node != null && node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
    }

    private static String appPath(String packageSid) {
        return "/admin/apps/" + URLEncoder.encode(packageSid, StandardCharsets.UTF_8);
    }

    private static HttpResponse badSid() {
        return json(400, error("invalid_request", "packageSid must look like ms-app://S-1-15-2-..."));
    }

    private static HttpResponse notFound() {
        return json(404, error("not_found", "No such app"));
    }

    private static HttpResponse methodNotAllowed(HttpMethod... allowed) {
        return json(405, error("method_not_allowed", "Method not allowed here")).addHeader(Allow.create(allowed));
    }

    private static ObjectNode status(String packageSid, String status) {
        return Json.object().put("packageSid", packageSid).put("status", status);
    }

    private static ObjectNode error(String error, String description) {
        return Json.object().put("error", error).put("error_description", description);
    }

    private static HttpResponse json(int status, ObjectNode body) {
        return HttpResponse.create()
                .withStatus(status)
                .addHeader(CacheControl.create(CacheDirectives.NO_STORE))
                .withEntity(Json.entity(body));
    }
}
