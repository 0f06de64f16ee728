package io.wakeline.broker.management;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.path;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Route;
import akka.management.javadsl.ManagementRouteProvider;
import akka.management.javadsl.ManagementRouteProviderSettings;
import io.wakeline.broker.metrics.NodeMetrics;

/**
 * {@code GET /metrics} on the management port: every meter of the node's registry ({@link NodeMetrics}) in the
 * Prometheus text format 0.0.4. Registered as {@code akka.management.http.routes.metrics} (management.conf); the
 * pods' prometheus.io annotations point at it.
 */
public final class MetricsRoute implements ManagementRouteProvider {
    private static final ContentType.NonBinary PROMETHEUS_TEXT =
            (ContentType.NonBinary) ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");

    private final NodeMetrics metrics;

    public MetricsRoute(ExtendedActorSystem system) {
        this.metrics = NodeMetrics.get(Adapter.toTyped(system));
    }

    @Override
    public Route routes(ManagementRouteProviderSettings settings) {
        return path("metrics", () -> get(() -> complete(HttpResponse.create()
                .withEntity(HttpEntities.create(PROMETHEUS_TEXT, metrics.scrape())))));
    }
}
