package io.wakeline.broker.console;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.completeWithFuture;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.delete;
import static akka.http.javadsl.server.Directives.entity;
import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.getFromResource;
import static akka.http.javadsl.server.Directives.parameterOptional;
import static akka.http.javadsl.server.Directives.path;
import static akka.http.javadsl.server.Directives.pathEnd;
import static akka.http.javadsl.server.Directives.pathPrefix;
import static akka.http.javadsl.server.Directives.pathSingleSlash;
import static akka.http.javadsl.server.Directives.post;
import static akka.http.javadsl.server.Directives.redirect;
import static akka.http.javadsl.server.Directives.respondWithHeaders;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.Uri;
import akka.http.javadsl.model.headers.CacheControl;
import akka.http.javadsl.model.headers.CacheDirectives;
import akka.http.javadsl.model.headers.HttpCookie;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.headers.SameSite;
import akka.http.javadsl.model.headers.SetCookie;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wakeline.broker.device.ControlChannelDirectory;
import io.wakeline.broker.device.DeviceInspector;
import io.wakeline.broker.gateway.admin.AdminCredential;
import io.wakeline.broker.gateway.http.HeadReader;
import io.wakeline.broker.gateway.http.RequestHead;
import io.wakeline.broker.metrics.ReceiptLedger;
import io.wakeline.protocol.LinkProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console at {@code /console/} on the app gateway (docs/operations.md "Web console"): a page, its script
 * and stylesheet, and uPlot for the charts, all served from the jar; and a JSON API under {@code /console/api/}
 * behind the admin token.
 *
 * <p>The operator logs in once ({@code POST /console/api/session} with the token in a JSON body); the answer
 * sets an HttpOnly, Secure, SameSite=Strict cookie holding a sealed session ({@link ConsoleSessions}). The token
 * is never put in a URL, stored by the page or logged. The API also takes {@code Authorization: Bearer} with the
 * admin token, like the admin API, for scripts.
 *
 * <p>Cluster-wide answers come from every node's {@link ConsoleAgent}, found through the receptionist and asked
 * with {@code wakeline.console.ask-timeout}; a member that does not answer is listed as such.
 */
public final class ConsoleRoute {
    private static final Logger log = LoggerFactory.getLogger(ConsoleRoute.class);
    static final String COOKIE = "wakeline_console";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TOKEN_LENGTH = 1024;
    private static final int MAX_ID_LENGTH = 256;
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final ContentType.NonBinary JAVASCRIPT = ContentTypes.create(MediaTypes.APPLICATION_JAVASCRIPT, HttpCharsets.UTF_8);
    private static final ContentType.NonBinary CSS = ContentTypes.create(MediaTypes.TEXT_CSS, HttpCharsets.UTF_8);
    /** Scripts, styles and API calls from this origin only; uPlot styles its canvas through the CSSOM, not markup. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/" + webJarVersion("uplot") + "/dist/";

    private final ActorSystem<?> system;
    private final ConsoleSettings settings;
    private final AdminCredential credential;
    private final ConsoleSessions sessions;
    private final DeviceInspector devices;
    private final ControlChannelDirectory control;
    private final List<String> configuredApps;

    public ConsoleRoute(ActorSystem<?> system, ConsoleSettings settings, String adminToken, DeviceInspector devices,
                        ControlChannelDirectory control) {
        this.system = system;
        this.settings = settings;
        this.credential = new AdminCredential(adminToken);
        this.sessions = new ConsoleSessions(adminToken, settings.sessionTtl());
        this.devices = devices;
        this.control = control;
        this.configuredApps = system.settings().config().getConfigList("wakeline.apps").stream()
                .map(app -> app.getString("package-sid")).toList();
    }

    public Route route() {
        if (!settings.enabled()) {
            return pathPrefix("console", () -> complete(StatusCodes.NOT_FOUND));
        }
        return pathPrefix("console", () -> respondWithHeaders(List.of(
                RawHeader.create("X-Content-Type-Options", "nosniff"),
                RawHeader.create("Referrer-Policy", "no-referrer")), () -> concat(
                pathEnd(() -> redirect(Uri.create("/console/"), StatusCodes.FOUND)),
                pathSingleSlash(() -> get(() -> respondWithHeaders(List.of(
                        RawHeader.create("Content-Security-Policy", CONTENT_SECURITY_POLICY),
                        CacheControl.create(CacheDirectives.NO_CACHE)), () ->
                        getFromResource("console/index.html", ContentTypes.TEXT_HTML_UTF8)))),
                path("console.js", () -> get(() -> getFromResource("console/console.js", JAVASCRIPT))),
                path("console.css", () -> get(() -> getFromResource("console/console.css", CSS))),
                pathPrefix("vendor", () -> concat(
                        path("uPlot.iife.min.js", () -> get(() -> getFromResource(UPLOT + "uPlot.iife.min.js", JAVASCRIPT))),
                        path("uPlot.min.css", () -> get(() -> getFromResource(UPLOT + "uPlot.min.css", CSS))))),
                pathPrefix("api", this::api),
                complete(json(404, error("not_found", "No such console resource"))))));
    }

    private Route api() {
        return concat(
                path("session", () -> concat(
                        post(() -> entity(Unmarshaller.entityToString(), this::login)),
                        delete(() -> complete(logout())),
                        get(() -> authenticated(() -> complete(HttpResponse.create().withStatus(StatusCodes.NO_CONTENT)))))),
                authenticated(() -> concat(
                        path("overview", () -> get(() -> completeWithFuture(overview()))),
                        path("apps", () -> get(() -> completeWithFuture(apps()))),
                        path("backlog", () -> get(() -> completeWithFuture(backlog()))),
                        path(PathMatchers.segment("devices").slash(PathMatchers.segment()), deviceId ->
                                get(() -> completeWithFuture(device(deviceId)))),
                        path(PathMatchers.segment("messages").slash(PathMatchers.segment()), messageId ->
                                get(() -> parameterOptional("device", device -> parameterOptional("app", app ->
                                        parameterOptional("channel", channel ->
                                                completeWithFuture(message(messageId, device, app, channel))))))))),
                complete(json(404, error("not_found", "No such console API resource"))));
    }

    // ---- session ----------------------------------------------------------------------------------

    private Route authenticated(Supplier<Route> inner) {
        return extractRequest(request -> {
            long now = System.currentTimeMillis();
            if (sessions.isValid(sessionCookie(request), now)
                    || credential.accepts(HeadReader.read(request, "authorization"::equals))) {
                return inner.get();
            }
            return complete(json(401, error("unauthorized", "Log in with the admin token")));
        });
    }

    /**
     * The session cookie, read from the raw {@code Cookie} headers: over HTTP/2 (which browsers negotiate here) Akka
     * HTTP 10.5 leaves {@code cookie} a raw header, so its cookie directives do not see it.
     */
    static Optional<String> sessionCookie(HttpRequest request) {
        for (HttpHeader header : request.getHeaders()) {
            if (!header.lowercaseName().equals("cookie")) {
                continue;
            }
            for (String pair : header.value().split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).trim().equals(COOKIE)) {
                    return Optional.of(pair.substring(equals + 1).trim());
                }
            }
        }
        return Optional.empty();
    }

    private Route login(String body) {
        Optional<String> token = Optional.empty();
        if (body.length() <= MAX_TOKEN_LENGTH + 64) {
            try {
                JsonNode json = JSON.readTree(body);
                if (json != null && json.path("token").isTextual() && json.get("token").textValue().length() <= MAX_TOKEN_LENGTH) {
                    token = Optional.of(json.get("token").textValue());
                }
            } catch (IOException e) {
                token = Optional.empty();
            }
        }
        if (token.isEmpty()
                || !credential.accepts(RequestHead.of("POST", Map.of("authorization", List.of("Bearer " + token.get()))))) {
            log.info("console login refused");
            return complete(json(401, error("unauthorized", "Wrong admin token")));
        }
        log.info("console login");
        HttpCookie cookie = HttpCookie.create(COOKIE, sessions.open(System.currentTimeMillis()))
                .withPath("/console").withHttpOnly(true).withSecure(true).withSameSite(SameSite.Strict)
                .withMaxAge(sessions.ttl().toSeconds());
        return complete(HttpResponse.create().withStatus(StatusCodes.NO_CONTENT).addHeader(SetCookie.create(cookie)));
    }

    private HttpResponse logout() {
        HttpCookie expired = HttpCookie.create(COOKIE, "").withPath("/console").withHttpOnly(true).withSecure(true)
                .withSameSite(SameSite.Strict).withMaxAge(0);
        return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT).addHeader(SetCookie.create(expired));
    }

    // ---- cluster ----------------------------------------------------------------------------------

    private CompletionStage<HttpResponse> overview() {
        return askAll(ConsoleAgent.GetNodeReport::new).thenApply(reports -> {
            Cluster cluster = Cluster.get(system);
            var state = cluster.state();
            ObjectNode body = JSON.createObjectNode();
            body.put("self", cluster.selfMember().address().toString());
            body.put("leader", state.getLeader() == null ? "" : state.getLeader().toString());
            ArrayNode members = body.putArray("members");
            Map<String, ConsoleAgent.NodeReport> byAddress = new TreeMap<>();
            reports.forEach(report -> byAddress.put(report.address(), report));
            List<Member> sorted = new ArrayList<>();
            state.getMembers().forEach(sorted::add);
            sorted.sort(Comparator.comparing(m -> m.address().toString()));
            for (Member member : sorted) {
                String address = member.address().toString();
                ObjectNode row = members.addObject()
                        .put("address", address)
                        .put("status", member.status().toString())
                        .put("reachable", !state.getUnreachable().contains(member))
                        .put("self", member.equals(cluster.selfMember()))
                        .put("leader", address.equals(body.get("leader").asText()));
                ArrayNode roles = row.putArray("roles");
                member.getRoles().stream().filter(role -> !role.startsWith("dc-")).sorted().forEach(roles::add);
                ConsoleAgent.NodeReport report = byAddress.get(address);
                row.set("node", report == null ? null : JSON.valueToTree(report));
            }
            body.set("rates", clusterRates(reports));
            return json(200, body);
        });
    }

    /** The nodes' rates summed per sample interval (their samples are taken at different moments). */
    private JsonNode clusterRates(List<ConsoleAgent.NodeReport> reports) {
        long interval = Math.max(1, settings.sampleInterval().toMillis());
        TreeMap<Long, double[]> sums = new TreeMap<>();
        for (ConsoleAgent.NodeReport report : reports) {
            for (ConsoleAgent.RatePoint point : report.rates()) {
                double[] sum = sums.computeIfAbsent(point.atMillis() / interval * interval, t -> new double[4]);
                sum[0] += point.pushes();
                sum[1] += point.controlAccepted();
                sum[2] += point.controlAcked();
                sum[3] += point.attaches();
            }
        }
        if (!sums.isEmpty()) {
            sums.remove(sums.lastKey()); // the newest bucket may not have every node's sample yet
        }
        ArrayNode rates = JSON.createArrayNode();
        sums.forEach((at, sum) -> rates.addObject().put("atMillis", at).put("pushes", sum[0])
                .put("controlAccepted", sum[1]).put("controlAcked", sum[2]).put("attaches", sum[3]));
        return rates;
    }

    private CompletionStage<HttpResponse> apps() {
        return askAll(ConsoleAgent.GetAppCounts::new).thenApply(reports -> {
            Map<String, long[]> sums = new LinkedHashMap<>();
            configuredApps.forEach(app -> sums.put(app, new long[5]));
            for (ConsoleAgent.AppCountsReport report : reports) {
                for (ReceiptLedger.AppCounts app : report.apps()) {
                    long[] sum = sums.computeIfAbsent(app.appId(), a -> new long[5]);
                    sum[0] += app.accepted();
                    sum[1] += app.delivered();
                    sum[2] += app.acked();
                    sum[3] += app.expired();
                    sum[4] += app.rejected();
                }
            }
            ObjectNode body = JSON.createObjectNode();
            ArrayNode apps = body.putArray("apps");
            sums.forEach((app, s) -> apps.addObject().put("appId", app).put("configured", configuredApps.contains(app))
                    .put("accepted", s[0]).put("delivered", s[1]).put("acked", s[2]).put("expired", s[3]).put("rejected", s[4]));
            body.put("nodesAnswered", reports.size());
            return json(200, body);
        });
    }

    private CompletionStage<HttpResponse> backlog() {
        int limit = settings.backlogBoardSize();
        return askAll((ActorRef<ConsoleAgent.BacklogReport> replyTo) -> new ConsoleAgent.GetBacklog(limit, replyTo))
                .thenApply(reports -> {
                    List<ObjectNode> rows = new ArrayList<>();
                    for (ConsoleAgent.BacklogReport report : reports) {
                        for (ReceiptLedger.Backlog device : report.devices()) {
                            rows.add(JSON.createObjectNode().put("deviceId", device.deviceId())
                                    .put("messages", device.messages())
                                    .put("oldestAcceptedAtMillis", device.oldestAcceptedAtMillis())
                                    .put("node", report.address()));
                        }
                    }
                    rows.sort(Comparator.<ObjectNode>comparingInt(r -> r.get("messages").asInt()).reversed()
                            .thenComparing(r -> r.get("deviceId").asText()));
                    ObjectNode body = JSON.createObjectNode();
                    body.putArray("devices").addAll(rows.subList(0, Math.min(limit, rows.size())));
                    body.put("nodesAnswered", reports.size());
                    return json(200, body);
                });
    }

    // ---- lookups ----------------------------------------------------------------------------------

    private CompletionStage<HttpResponse> device(String deviceId) {
        if (!LinkProtocol.isValidDeviceId(deviceId)) {
            return CompletableFuture.completedFuture(json(400, error("invalid_request", "Not a valid device id")));
        }
        return devices.inspect(deviceId).handle((view, failure) -> {
            if (failure != null) {
                log.warn("console device lookup failed deviceId={}: {}", deviceId, failure.toString());
                return json(503, error("unavailable", "The device's node did not answer; retry"));
            }
            if (view.isEmpty()) {
                return json(404, error("not_found", "No such device"));
            }
            return json(200, JSON.valueToTree(view.get()));
        });
    }

    private CompletionStage<HttpResponse> message(String messageId, Optional<String> device, Optional<String> app,
                                                  Optional<String> channel) {
        if (!MESSAGE_ID.matcher(messageId).matches() || tooLong(device) || tooLong(app) || tooLong(channel)
                || device.filter(d -> !LinkProtocol.isValidDeviceId(d)).isPresent()) {
            return CompletableFuture.completedFuture(json(400, error("invalid_request", "Not a valid message lookup")));
        }
        CompletionStage<Optional<ReceiptLedger.Location>> located = device.isPresent() && app.isPresent() && channel.isPresent()
                ? CompletableFuture.completedFuture(Optional.of(new ReceiptLedger.Location(messageId, device.get(),
                        app.get(), channel.get(), null, 0)))
                : askAll((ActorRef<ConsoleAgent.MessageFound> replyTo) -> new ConsoleAgent.FindMessage(messageId, replyTo))
                        .thenApply(found -> found.stream().map(ConsoleAgent.MessageFound::location).filter(Objects::nonNull)
                                .max(Comparator.comparingLong(ReceiptLedger.Location::atMillis)));
        return located.thenCompose(location -> {
            if (location.isEmpty()) {
                return CompletableFuture.completedFuture(json(404, error("not_found",
                        "No node saw this message id recently; give its device, app and channel")));
            }
            ReceiptLedger.Location at = location.get();
            return control.controlMessageStatus(at.deviceId(), at.appId(), at.channelId(), messageId).handle((status, failure) -> {
                if (failure != null) {
                    log.warn("console message lookup failed deviceId={} msgId={}: {}", at.deviceId(), messageId, failure.toString());
                    return json(503, error("unavailable", "The device's node did not answer; retry"));
                }
                if (status.fate() == null) {
                    return json(404, error("not_found", "The device's entity no longer holds this message"));
                }
                ObjectNode body = JSON.createObjectNode();
                body.put("deviceId", at.deviceId()).put("appId", at.appId()).put("channelId", at.channelId());
                body.set("fate", JSON.valueToTree(status.fate()));
                return json(200, body);
            });
        });
    }

    private static boolean tooLong(Optional<String> value) {
        return value.filter(v -> v.isEmpty() || v.length() > MAX_ID_LENGTH).isPresent();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Every node's agent's answer; a node that does not answer in time is left out. */
    private <R> CompletionStage<List<R>> askAll(Function<ActorRef<R>, ConsoleAgent.Command> message) {
        return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
                        replyTo -> Receptionist.find(ConsoleAgent.KEY, replyTo), settings.askTimeout(), system.scheduler())
                .thenCompose(listing -> {
                    List<CompletableFuture<R>> answers = listing.getServiceInstances(ConsoleAgent.KEY).stream()
                            .map(agent -> AskPattern.<ConsoleAgent.Command, R>ask(agent, message::apply,
                                    settings.askTimeout(), system.scheduler()).toCompletableFuture()
                                    .exceptionally(failure -> null))
                            .toList();
                    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                            .thenApply(done -> answers.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList());
                });
    }

    private static ObjectNode error(String error, String description) {
        return JSON.createObjectNode().put("error", error).put("error_description", description);
    }

    private static HttpResponse json(int status, JsonNode body) {
        return HttpResponse.create().withStatus(status)
                .addHeader(CacheControl.create(CacheDirectives.NO_STORE))
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
    }

    private static String webJarVersion(String artifact) {
        String pom = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = ConsoleRoute.class.getClassLoader().getResourceAsStream(pom)) {
            if (in == null) {
                throw new IllegalStateException(pom + " is not on the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
