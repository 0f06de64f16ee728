package io.wakeline.broker.metrics;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import com.typesafe.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;

/**
 * The node's meter registry: Micrometer with its Prometheus registry, scraped at {@code GET /metrics} on the
 * management port ({@link io.wakeline.broker.management.MetricsRoute}). One per actor system, so that several
 * nodes in one JVM (tests) keep their own figures; the JVM, process and Netty allocator meters are the same
 * in each. Every metric is listed with its meaning in docs/operations.md "Metrics".
 */
public final class NodeMetrics implements Extension {
    private static final ExtensionId<NodeMetrics> ID = new ExtensionId<>() {
        @Override
        public NodeMetrics createExtension(ActorSystem<?> system) {
            return new NodeMetrics(system);
        }
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ReceiptLedger receipts;

    private NodeMetrics(ActorSystem<?> system) {
        Config bounds = system.settings().config().getConfig("wakeline.metrics.receipts");
        receipts = new ReceiptLedger(bounds.getInt("max-tracked"), bounds.getInt("max-recent"), bounds.getInt("max-apps"));
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        // the device gateway's links allocate from Netty's default allocator (pooled unless -Dio.netty.allocator.type)
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            new NettyAllocatorMetrics(allocator).bindTo(registry);
        }
        system.getWhenTerminated().thenRun(() -> {
            gc.close(); // removes its GC notification listeners from the platform MXBeans
            registry.close();
        });
    }

    public static NodeMetrics get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** What this node has seen of guaranteed messages (the latencies, the console's backlog board). */
    public ReceiptLedger receipts() {
        return receipts;
    }

    /** Where a device entity tells its node the control messages it holds when it starts (see the interface). */
    public ControlBacklogObserver controlBacklog() {
        return receipts;
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter. */
    public String scrape() {
        return registry.scrape();
    }
}
