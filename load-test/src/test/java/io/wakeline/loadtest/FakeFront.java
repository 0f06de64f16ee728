package io.wakeline.loadtest;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a fake broker's routes on loopback HTTPS, over HTTP/1.1 ({@code com.sun.net.httpserver}, what
 * the JDK client's HTTP/1.1 mode needs) or HTTP/2 ({@link Http2TestServer}, what the default Netty
 * client needs). Routes are chosen by the longest matching path prefix, as {@code HttpServer} contexts are.
 */
final class FakeFront implements AutoCloseable {

    enum Protocol { HTTP_1_1, HTTP_2 }

    /** Answers the requests under one path prefix. */
    interface Route {
        void handle(FakeExchange exchange) throws IOException;
    }

    private final int port;
    private final AutoCloseable server;

    private FakeFront(int port, AutoCloseable server) {
        this.port = port;
        this.server = server;
    }

    static FakeFront start(Protocol protocol, TestCertificate certificate, int workerThreads, Map<String, Route> routes)
            throws IOException, GeneralSecurityException {
        if (protocol == Protocol.HTTP_2) {
            try {
                Http2TestServer server = Http2TestServer.start(certificate,
                        Http2TestServer.DEFAULT_MAX_CONCURRENT_STREAMS, workerThreads,
                        exchange -> route(routes, exchange.path()).orElse(FakeFront::notFound).handle(exchange));
                return new FakeFront(server.port(), server);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting", e);
            }
        }
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
        ExecutorService workers = Executors.newFixedThreadPool(workerThreads);
        server.setExecutor(workers);
        routes.forEach((prefix, route) -> server.createContext(prefix, exchange -> {
            try (exchange) {
                route.handle(new HttpExchangeAdapter(exchange));
            }
        }));
        server.start();
        return new FakeFront(server.getAddress().getPort(), () -> {
            server.stop(0);
            workers.shutdownNow();
        });
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the fake's server", e);
        }
    }

    private static Optional<Route> route(Map<String, Route> routes, String path) {
        return routes.entrySet().stream()
                .filter(route -> path.startsWith(route.getKey()))
                .max(Comparator.comparingInt(route -> route.getKey().length()))
                .map(Map.Entry::getValue);
    }

    private static void notFound(FakeExchange exchange) throws IOException {
        exchange.respond(404, new byte[0]);
    }
}
