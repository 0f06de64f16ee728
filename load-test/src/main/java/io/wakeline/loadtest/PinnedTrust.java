package io.wakeline.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * An {@link SSLContext} that trusts exactly the certificates of one PEM file (the broker writes its
 * self-signed certificate to {@code <data-dir>/tls/broker-cert.pem}) and nothing from the JDK's
 * default trust store.
 */
public final class PinnedTrust {

    private static final String TLS = "TLS";
    private static final String X509 = "X.509";

    private PinnedTrust() {
    }

    public static SSLContext sslContext(Path pemFile, HostnameVerification hostnameVerification)
            throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        int index = 0;
        for (Certificate certificate : readCertificates(pemFile)) {
            trusted.setCertificateEntry("pinned-" + index++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        X509ExtendedTrustManager pinned = Arrays.stream(factory.getTrustManagers())
                .filter(X509ExtendedTrustManager.class::isInstance)
                .map(X509ExtendedTrustManager.class::cast)
                .findFirst()
                .orElseThrow(() -> new GeneralSecurityException("no X.509 trust manager available"));
        TrustManager trustManager = switch (hostnameVerification) {
            case VERIFY -> pinned;
            case SKIP_INSECURE_TEST_ONLY -> new AnyHostName(pinned);
        };
        SSLContext context = SSLContext.getInstance(TLS);
        context.init(null, new TrustManager[] {trustManager}, null);
        return context;
    }

    private static Collection<? extends Certificate> readCertificates(Path pemFile)
            throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance(X509).generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new CertificateException("no certificate in " + pemFile);
            }
            return certificates;
        }
    }

    /**
     * Validates the chain against the pinned certificates but not the host name. The JDK checks the
     * host name inside the engine/socket overloads; the two-argument checks validate the chain only,
     * so delegating to those is what drops the host-name check and nothing else.
     */
    private static final class AnyHostName extends X509ExtendedTrustManager {

        private final X509ExtendedTrustManager pinned;

        AnyHostName(X509ExtendedTrustManager pinned) {
            this.pinned = pinned;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pinned.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            pinned.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            pinned.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pinned.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            pinned.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            pinned.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pinned.getAcceptedIssuers();
        }
    }
}
