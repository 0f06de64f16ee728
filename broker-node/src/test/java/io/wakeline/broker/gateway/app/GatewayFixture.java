package io.wakeline.broker.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.wakeline.broker.TestClusters;
import io.wakeline.broker.app.AppRegistry;
import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.WebPushSubscriptionToken;
import io.wakeline.broker.device.DeviceDirectory;
import io.wakeline.broker.gateway.webpush.WebPushEndpoints;
import io.wakeline.broker.gateway.wns.ChannelUris;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A one-node cluster with the app registry and one or more HTTPS gateways bound on free ports in front of a
 * fake device side, plus clients trusting only the generated certificate. For gateway tests over real HTTPS.
 */
public final class GatewayFixture implements AutoCloseable {
    public static final String APP_A = "ms-app://S-1-15-2-1000000001";
    public static final String SECRET_A = "Vex8L9WOFZuj95euaLrvSH7XyoDhLJc7";
    public static final String APP_B = "ms-app://S-1-15-2-2000000002";
    public static final String SECRET_B = "another-apps-secret-0000";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ActorTestKit testKit;
    private final Path dataDir;
    private final Config config;
    private final BrokerKeys keys;
    private final AppRegistry registry;
    private final List<ServerBinding> bindings = new ArrayList<>();
    public final SSLContext clientTls;
    public final HttpClient http2;
    public final HttpClient http11;

    private GatewayFixture(ActorTestKit testKit, Path dataDir, Config config, BrokerKeys keys, AppRegistry registry,
                           SSLContext clientTls) {
        this.testKit = testKit;
        this.dataDir = dataDir;
        this.config = config;
        this.keys = keys;
        this.registry = registry;
        this.clientTls = clientTls;
        this.http2 = HttpClient.newBuilder().sslContext(clientTls).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.http11 = HttpClient.newBuilder().sslContext(clientTls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Starts the cluster and registers {@link #APP_A} and {@link #APP_B}; {@code hocon} overrides the gateway config. */
    public static GatewayFixture start(String name, String hocon) throws Exception {
        Path dataDir = Files.createTempDirectory("wakeline-" + name);
        Config config = TestClusters.config(dataDir, """
                wakeline.app-gateway {
                  host = "127.0.0.1"
                  port = 0
                  device-ask-timeout = 1s
                  retry-after = 2s
                }
                wakeline.apps = [
                  { package-sid = "%s", client-secret = "%s" },
                  { package-sid = "%s", client-secret = "%s" }
                ]
                %s
                """.formatted(APP_A, SECRET_A, APP_B, SECRET_B, hocon));
        ActorTestKit testKit = TestClusters.startJoined(name, config);
        BrokerKeys keys = BrokerKeys.loadOrCreate(config);
        AppRegistry registry = AppRegistry.create(testKit.system());
        registry.registerConfiguredApps(config).toCompletableFuture().get(20, TimeUnit.SECONDS);
        TlsMaterial.loadOrCreate(AppGatewaySettings.fromConfig(config).tls());
        return new GatewayFixture(testKit, dataDir, config, keys, registry,
                trusting(dataDir.resolve("tls").resolve("broker-cert.pem")));
    }

    /** Binds one more gateway on a free port, with {@code hocon} on top of the fixture's configuration. */
    public Gateway bind(DeviceDirectory devices, String hocon) throws Exception {
        Config gatewayConfig = com.typesafe.config.ConfigFactory.parseString(hocon).withFallback(config);
        // the public base URL must name the port, which is only known after binding: bind first, then build
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            probe.setReuseAddress(true);
            int port = probe.getLocalPort();
            probe.close();
            gatewayConfig = com.typesafe.config.ConfigFactory.parseString(
                    "wakeline.app-gateway.port = " + port + "\nwakeline.app-gateway.public-base-url = \"https://localhost:" + port + "\"")
                    .withFallback(gatewayConfig);
        }
        AppGatewaySettings settings = AppGatewaySettings.fromConfig(gatewayConfig);
        AppGateway gateway = new AppGateway(testKit.system(), settings, registry, devices,
                devices instanceof io.wakeline.broker.device.DeviceInspector inspector ? inspector
                        : deviceId -> java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.empty()),
                keys);
        ServerBinding binding = AppGateway.bind(testKit.system(), settings, gateway.createRoute(),
                TlsMaterial.loadOrCreate(settings.tls()).httpsConnectionContext()).toCompletableFuture().get(20, TimeUnit.SECONDS);
        bindings.add(binding);
        return new Gateway(settings.publicBaseUrl(), binding.localAddress().getPort());
    }

    /** A bound gateway: where it listens, and helpers to make URIs it accepts. */
    public final class Gateway {
        public final String base;
        public final int port;

        Gateway(String base, int port) {
            this.base = base;
            this.port = port;
        }

        public String channelUri(String appId, String channelId) {
            return channelUri(appId, channelId, System.currentTimeMillis() + 3_600_000);
        }

        public String channelUri(String appId, String channelId, long expiresAt) {
            return new ChannelUris(base, keys.channelTokenSealer())
                    .uriFor(new ChannelToken("device-42", appId, channelId, expiresAt));
        }

        public String webPushEndpoint(String subscriptionId, byte[] applicationServerKey, long expiresAt) {
            return new WebPushEndpoints(base, keys.webPushSubscriptionSealer()).uriFor(
                    new WebPushSubscriptionToken("device-42", APP_A, subscriptionId, expiresAt, applicationServerKey));
        }

        public String webPushEndpoint(String subscriptionId) {
            return webPushEndpoint(subscriptionId, new byte[0], System.currentTimeMillis() + 3_600_000);
        }

        public String accessToken(String sid, String secret) throws Exception {
            String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(sid, StandardCharsets.UTF_8)
                    + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "&scope=notify.windows.com";
            HttpResponse<String> response = http2.send(HttpRequest.newBuilder(URI.create(base + "/accesstoken.srf"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return JSON.readTree(response.body()).get("access_token").asText();
        }
    }

    public BrokerKeys keys() {
        return keys;
    }

    public ActorSystem<Void> system() {
        return testKit.system();
    }

    /** The fixture's configuration, under each gateway's own overrides. */
    public Config config() {
        return config;
    }

    @Override
    public void close() throws Exception {
        for (ServerBinding binding : bindings) {
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        testKit.shutdownTestKit();
    }

    static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("wakeline", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
