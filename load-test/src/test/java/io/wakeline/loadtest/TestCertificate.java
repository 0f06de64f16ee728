package io.wakeline.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate made with the JDK's own {@code keytool}, like the broker's: a
 * PKCS12 key store for the fake server and the certificate as PEM for {@code --trust-pem}.
 */
record TestCertificate(Path keyStore, Path pem) {

    /** What the broker's certificate names (see the API contract). */
    static final String LOOPBACK_NAMES = "dns:localhost,ip:127.0.0.1";

    private static final char[] PASSWORD = "load-test".toCharArray();
    private static final String ALIAS = "broker";
    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(30);

    /** @param subjectAlternativeNames keytool syntax, e.g. {@code dns:localhost,ip:127.0.0.1} */
    static TestCertificate generate(Path directory, String subjectAlternativeNames)
            throws IOException, InterruptedException, GeneralSecurityException {
        Path keyStore = directory.resolve("broker.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=wakeline-test-broker", "-ext", "SAN=" + subjectAlternativeNames, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(KEYTOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool failed: " + output);
        }
        Path pem = directory.resolve("broker-cert.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(load(keyStore).getCertificate(ALIAS).getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return new TestCertificate(keyStore, pem);
    }

    SSLContext serverContext() throws IOException, GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore), PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static KeyStore load(Path keyStore) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
