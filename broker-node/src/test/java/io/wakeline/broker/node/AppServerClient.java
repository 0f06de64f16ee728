package io.wakeline.broker.node;

import java.io.IOException;
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
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An app server as tests see it: the JDK HTTP client over HTTPS, trusting only the node's generated certificate. */
public final class AppServerClient {
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private final HttpClient http;
    private final String baseUrl;

    public AppServerClient(String baseUrl, Path certificatePem) throws Exception {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder()
                .sslContext(trusting(certificatePem))
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public String token(String packageSid, String secret) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(packageSid, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "&scope=notify.windows.com";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/accesstoken.srf"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = ACCESS_TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("token request failed: " + response.statusCode() + " " + response.body());
        }
        return m.group(1);
    }

    public HttpResponse<String> sendRaw(String channelUri, String token, byte[] payload, String... extraHeaders)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(channelUri))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .header("X-WNS-Type", "wns/raw")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
            request.header(extraHeaders[i], extraHeaders[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A WNS send of any type, with the type's own content type. */
    public HttpResponse<String> send(String channelUri, String token, String wnsType, String contentType, byte[] payload,
                                     String... extraHeaders) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(channelUri))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType)
                .header("X-WNS-Type", wnsType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
            request.header(extraHeaders[i], extraHeaders[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpClient http() {
        return http;
    }

    static SSLContext trusting(Path certificatePem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificatePem)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("wakeline", cert);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
