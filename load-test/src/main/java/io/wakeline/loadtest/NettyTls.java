package io.wakeline.loadtest;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLS for the Netty client: the run's {@link PinnedTrust} {@link SSLContext} (so exactly the
 * {@code --trust-pem} certificates are trusted) on the JDK provider, offering only {@code h2} by ALPN.
 * Host names are checked the way the JDK client checks them (endpoint identification "HTTPS"); with
 * {@code --insecure} PinnedTrust's trust manager is the one that ignores the name, as for the JDK client.
 */
final class NettyTls {

    private static final String HTTPS_IDENTIFICATION = "HTTPS";

    private final SslContext context;

    NettyTls(SSLContext pinned) {
        this.context = new JdkSslContext(pinned, true, null, IdentityCipherSuiteFilter.INSTANCE,
                new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2),
                ClientAuth.NONE, null, false);
    }

    /** A client-side handler for one connection to {@code host} (used for SNI and the host-name check). */
    SslHandler newHandler(ByteBufAllocator allocator, String host, int port, Duration handshakeTimeout) {
        SslHandler handler = context.newHandler(allocator, host, port);
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm(HTTPS_IDENTIFICATION);
        engine.setSSLParameters(parameters);
        handler.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeout.toMillis()));
        return handler;
    }
}
