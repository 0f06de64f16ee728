package io.wakeline.broker.gateway.device;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.wakeline.broker.app.AppDirectory;
import io.wakeline.protocol.FrameDecoder;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP listener for device links (DESIGN.md "gateway.device"): Netty with the epoll transport where
 * available, one {@link DeviceSession} per link, no actor per link.
 */
public final class DeviceGateway {
    private static final Logger log = LoggerFactory.getLogger(DeviceGateway.class);

    private final DeviceGatewaySettings settings;
    private final LinkTable links;
    private final DeviceGatewayMetrics metrics;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Channel serverChannel;

    private DeviceGateway(DeviceGatewaySettings settings, LinkTable links, DeviceGatewayMetrics metrics,
                          EventLoopGroup bossGroup, EventLoopGroup workerGroup, Channel serverChannel) {
        this.settings = settings;
        this.links = links;
        this.metrics = metrics;
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.serverChannel = serverChannel;
    }

    /**
     * Binds the listener; returns once it accepts connections. {@code entityAskTimeout} bounds each ask to a device's
     * entity; {@code clock} is the time sessions stamp on what they tell entities.
     */
    public static DeviceGateway bind(DeviceGatewaySettings settings, byte[] fleetSecret, AppDirectory apps,
                                     ClusterSharding sharding, Duration entityAskTimeout, LinkTable links,
                                     List<ActorRef<LinkRegistry.Command>> registries, InstantSource clock)
            throws InterruptedException {
        DeviceGatewayMetrics metrics = new DeviceGatewayMetrics();
        SessionContext shared = new SessionContext(settings, fleetSecret.clone(), apps, sharding, entityAskTimeout, links,
                List.copyOf(registries), metrics, new SecureRandom(), clock);
        FrameDecoder frameDecoder = new FrameDecoder(settings.maxFrameBytes());
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup boss = epoll
                ? new EpollEventLoopGroup(1, new DefaultThreadFactory("device-accept"))
                : new NioEventLoopGroup(1, new DefaultThreadFactory("device-accept"));
        EventLoopGroup workers = epoll
                ? new EpollEventLoopGroup(settings.workerThreads(), new DefaultThreadFactory("device-link"))
                : new NioEventLoopGroup(settings.workerThreads(), new DefaultThreadFactory("device-link"));
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        long idleSeconds = settings.idleTimeout().toSeconds();

        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(settings.writeBufferLowWaterMark(), settings.writeBufferHighWaterMark()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("idle", new IdleStateHandler(idleSeconds, 0, 0, TimeUnit.SECONDS))
                                .addLast("frame-decoder", new FrameDecoderHandler(frameDecoder))
                                .addLast("frame-encoder", FrameEncoderHandler.INSTANCE)
                                .addLast("session", new DeviceSession(shared));
                    }
                });
        Channel server = bootstrap.bind(settings.host(), settings.port()).sync().channel();
        log.info("device gateway listening on {} transport={}", server.localAddress(), epoll ? "epoll" : "nio");
        return new DeviceGateway(settings, links, metrics, boss, workers, server);
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public DeviceGatewayMetrics metrics() {
        return metrics;
    }

    /** Links currently authenticated and attached on this node. */
    public int attachedLinks() {
        return links.size();
    }

    /** Stops accepting new links. */
    public void unbind() {
        serverChannel.close().syncUninterruptibly();
    }

    /**
     * Tells every attached device to go away and reconnect after a random delay within the configured
     * window, so a node shutdown does not become a reconnect storm elsewhere.
     */
    public int drainLinks() {
        int windowMillis = (int) Math.max(0, settings.drainReconnectWindow().toMillis());
        int drained = 0;
        for (LinkEndpoint link : links.all()) {
            if (link instanceof DeviceSession session) {
                session.drain(windowMillis == 0 ? 0 : ThreadLocalRandom.current().nextInt(windowMillis));
                drained++;
            }
        }
        return drained;
    }

    /** Closes every link and releases the event loops. */
    public void shutdown() {
        serverChannel.close().syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
