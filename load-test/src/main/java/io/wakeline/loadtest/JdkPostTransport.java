package io.wakeline.loadtest;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code --client jdk} (and every {@code --http1.1} run): one {@code java.net.http.HttpClient} per
 * connection, which negotiates HTTP/2 by ALPN or falls back to HTTP/1.1. Kept for comparison and for
 * HTTP/1.1; it costs far more CPU per request than {@link Http2PostTransport}.
 */
final class JdkPostTransport implements PostTransport {

    private final List<HttpClient> clients;
    private final Duration requestTimeout;

    JdkPostTransport(List<HttpClient> clients, Duration requestTimeout) {
        this.clients = List.copyOf(clients);
        this.requestTimeout = requestTimeout;
    }

    @Override
    public CompletableFuture<PostAnswer> post(int connection, PostRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .timeout(requestTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(builder::header);
        return clients.get(Math.floorMod(connection, clients.size()))
                .sendAsync(builder.build(), HttpResponse.BodyHandlers.discarding())
                .thenApply(JdkPostTransport::answer);
    }

    private static PostAnswer answer(HttpResponse<Void> response) {
        Map<String, String> headers = new HashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.putIfAbsent(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        return new PostAnswer(response.statusCode(), response.version(), headers);
    }

    /** The JDK clients need no closing (Java 17 has no {@code HttpClient.close}); their threads are daemons. */
    @Override
    public void close() {
        // nothing held beyond what the garbage collector reclaims
    }
}
