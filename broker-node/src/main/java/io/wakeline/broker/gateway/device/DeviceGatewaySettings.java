package io.wakeline.broker.gateway.device;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code wakeline.device-gateway.*} (reference.conf). */
public record DeviceGatewaySettings(
        String host,
        int port,
        int maxFrameBytes,
        Duration handshakeTimeout,
        Duration heartbeatInterval,
        Duration idleTimeout,
        int writeBufferLowWaterMark,
        int writeBufferHighWaterMark,
        int workerThreads,
        int linkRegistries,
        Duration drainReconnectWindow) {

    public static DeviceGatewaySettings fromConfig(Config config) {
        Config c = config.getConfig("wakeline.device-gateway");
        return new DeviceGatewaySettings(
                c.getString("host"),
                c.getInt("port"),
                c.getInt("max-frame-bytes"),
                c.getDuration("handshake-timeout"),
                c.getDuration("heartbeat-interval"),
                c.getDuration("idle-timeout"),
                c.getInt("write-buffer-low-water-mark"),
                c.getInt("write-buffer-high-water-mark"),
                c.getInt("worker-threads"),
                c.getInt("link-registries"),
                c.getDuration("drain-reconnect-window"));
    }
}
