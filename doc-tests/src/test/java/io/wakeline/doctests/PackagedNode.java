package io.wakeline.doctests;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One broker node started from its packaged launcher (broker-node/target/dist), on free ports and a data
 * directory of its own, as an operator would start it. Closing kills it (its graceful stop is tested elsewhere).
 */
final class PackagedNode implements AutoCloseable {
    private static final int READY_SECONDS = 120;

    final Path dataDir;
    final int httpsPort = Repository.freePort();
    final int devicePort = Repository.freePort();
    final int managementPort = Repository.freePort();
    private final Process process;

    PackagedNode(Path dataDir, Map<String, String> extraEnv) throws IOException, InterruptedException {
        this.dataDir = dataDir;
        ProcessBuilder builder = new ProcessBuilder(Repository.root().resolve("broker-node/target/dist/bin/wakeline-broker").toString())
                .redirectErrorStream(true).redirectOutput(dataDir.resolveSibling("node.log").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("WAKELINE_") || name.equals("JAVA_OPTS"));
        env.put("WAKELINE_DATA_DIR", dataDir.toString());
        env.put("WAKELINE_HTTPS_PORT", Integer.toString(httpsPort));
        env.put("WAKELINE_DEVICE_PORT", Integer.toString(devicePort));
        env.put("WAKELINE_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("WAKELINE_REMOTING_PORT", Integer.toString(Repository.freePort()));
        env.put("WAKELINE_JAVA_OPTS", "-Xms256m -Xmx1g");
        env.putAll(extraEnv);
        process = builder.start();
        awaitReady();
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient plain = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/ready");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the node exited: " + log());
            }
            try {
                if (plain.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the node was not ready within " + READY_SECONDS + " s: " + log());
    }

    String log() throws IOException {
        return Files.readString(dataDir.resolveSibling("node.log"));
    }

    String fleetSecretHex() throws IOException {
        return Files.readString(dataDir.resolve("keys/fleet-secret")).trim();
    }

    /** GET on the node's HTTPS port as the admin, trusting exactly its generated certificate. */
    HttpResponse<String> adminGet(String path) throws Exception {
        CertificateFactory certificates = CertificateFactory.getInstance("X.509");
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream pem = Files.newInputStream(dataDir.resolve("tls/broker-cert.pem"))) {
            trusted.setCertificateEntry("node", certificates.generateCertificate(pem));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        String token = Files.readString(dataDir.resolve("keys/admin-token")).trim();
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
