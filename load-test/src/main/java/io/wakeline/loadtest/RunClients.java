package io.wakeline.loadtest;

import java.io.IOException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The HTTP clients of one run, all trusting exactly {@code --trust-pem}: the {@link PostTransport} that
 * sends the scenario's requests ({@link ClientKind}), and JDK clients for the few other requests (the
 * token endpoint, the control scenario's event stream). Closing it closes the sender.
 */
final class RunClients implements AutoCloseable {

    private final LoadTestConfig config;
    private final SSLContext sslContext;
    private final PostTransport sender;
    private final HttpClient tokenClient;

    private RunClients(LoadTestConfig config, SSLContext sslContext, PostTransport sender, HttpClient tokenClient) {
        this.config = config;
        this.sslContext = sslContext;
        this.sender = sender;
        this.tokenClient = tokenClient;
    }

    /** @throws LoadTestAbortedException if the trust PEM is unusable */
    static RunClients open(LoadTestConfig config) throws LoadTestAbortedException {
        SSLContext sslContext = sslContext(config);
        if (config.effectiveClient() == ClientKind.JDK) {
            // as before the Netty client existed: N JDK clients, the first one also fetches the token
            List<HttpClient> clients = new ArrayList<>(config.connections());
            for (int i = 0; i < config.connections(); i++) {
                clients.add(jdkClient(config, sslContext));
            }
            return new RunClients(config, sslContext, new JdkPostTransport(clients, config.requestTimeout()),
                    clients.get(0));
        }
        return new RunClients(config, sslContext,
                new Http2PostTransport(sslContext, config.connections(), config.requestTimeout()),
                jdkClient(config, sslContext));
    }

    PostTransport sender() {
        return sender;
    }

    HttpClient tokenClient() {
        return tokenClient;
    }

    /** A JDK client of its own, e.g. for a long response that must not share a connection's streams. */
    HttpClient newJdkClient() {
        return jdkClient(config, sslContext);
    }

    @Override
    public void close() {
        sender.close();
    }

    private static HttpClient jdkClient(LoadTestConfig config, SSLContext sslContext) {
        return HttpClient.newBuilder()
                .version(config.httpVersion())
                .sslContext(sslContext)
                .connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private static SSLContext sslContext(LoadTestConfig config) throws LoadTestAbortedException {
        try {
            return PinnedTrust.sslContext(config.trustPem(), config.hostnameVerification());
        } catch (IOException | GeneralSecurityException e) {
            throw new LoadTestAbortedException("cannot trust " + config.trustPem() + ": " + e.getMessage(), e);
        }
    }
}
