package io.wakeline.broker.metrics;

import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.mapResponse;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Route;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Wraps the app gateway's whole route: every request is timed from its arrival to its response head
 * ({@code wakeline_http_server_requests_seconds{operation, method, status}}), and every push request is counted
 * by path and outcome ({@code wakeline_pushes_total{path, outcome}}). The inner route is sealed here, so that
 * rejections and exceptions are counted with the status they are answered with (the same default handlers the
 * server would apply outside).
 */
public final class HttpMeters {
    private final MeterRegistry registry;
    /**
     * The meters by their tags, looked up without building a Micrometer id per request (the send paths are hot);
     * both maps are bounded by the tag vocabularies.
     */
    private final ConcurrentHashMap<Long, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<PushKey, Counter> pushes = new ConcurrentHashMap<>();

    private record PushKey(String path, String outcome) {
    }

    public HttpMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public Route measure(Route route) {
        Route sealed = route.seal();
        return extractRequest(request -> {
            long start = System.nanoTime();
            return mapResponse(response -> {
                record(request, response, System.nanoTime() - start);
                return response;
            }, () -> sealed);
        });
    }

    void record(HttpRequest request, HttpResponse response, long nanos) {
        ApiOperation operation = ApiOperation.of(request.getUri().path());
        int status = response.status().intValue();
        String method = ApiOperation.methodTag(request.method().name());
        long key = ((long) operation.ordinal() << 40) | ((long) method.hashCode() & 0xFFFFFFL) << 12 | (status & 0xFFF);
        timers.computeIfAbsent(key, k -> Timer.builder("wakeline.http.server.requests")
                        .description("App gateway requests, from arrival to response head, by operation, method and status")
                        .tag("operation", operation.tag())
                        .tag("method", method)
                        .tag("status", String.valueOf(status))
                        .serviceLevelObjectives(Buckets.REQUEST)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        PushOutcomes.path(operation, header(request.getHeader("X-WNS-Type"))).ifPresent(path -> {
            String outcome = PushOutcomes.outcome(operation, status, header(response.getHeader("X-WNS-Status")),
                    header(response.getHeader("X-Wakeline-Error")));
            pushes.computeIfAbsent(new PushKey(path, outcome), k -> Counter.builder("wakeline.pushes")
                            .description("Push requests answered by the app gateway, by path and outcome")
                            .tag("path", path)
                            .tag("outcome", outcome)
                            .register(registry))
                    .increment();
        });
    }

    private static Optional<String> header(Optional<HttpHeader> header) {
        return header.map(HttpHeader::value);
    }
}
