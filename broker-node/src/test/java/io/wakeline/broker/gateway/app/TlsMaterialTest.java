package io.wakeline.broker.gateway.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {
    @TempDir
    Path dataDir;

    private TlsSettings generated(List<String> extra) {
        List<String> names = new java.util.ArrayList<>(TlsSettings.LOCAL_NAMES);
        names.addAll(extra);
        return new TlsSettings(dataDir.resolve("tls"), names, Duration.ofDays(825), Optional.empty(), Optional.empty());
    }

    private static Set<String> sanValues(X509Certificate cert) throws Exception {
        Set<String> values = new HashSet<>();
        for (List<?> san : cert.getSubjectAlternativeNames()) {
            values.add(String.valueOf(san.get(1)));
        }
        return values;
    }

    @Test
    void firstStartGeneratesACertificateForLocalAndPublicNamesAndWritesItsPem() throws Exception {
        TlsMaterial tls = TlsMaterial.loadOrCreate(generated(List.of("push.example.org", "10.1.2.3")));
        X509Certificate cert = tls.certificate();
        Set<String> sans = sanValues(cert);
        assertTrue(sans.containsAll(Set.of("localhost", "127.0.0.1", "push.example.org", "10.1.2.3")), sans.toString());
        assertTrue(sans.contains("0:0:0:0:0:0:0:1") || sans.contains("::1"), sans.toString());
        assertEquals("EC", cert.getPublicKey().getAlgorithm());
        long days = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()).toDays();
        assertTrue(days >= 825 && days <= 826, "validity " + days);

        Path pem = dataDir.resolve("tls").resolve("broker-cert.pem");
        assertEquals(pem, tls.certificatePemFile());
        X509Certificate fromPem;
        try (FileInputStream in = new FileInputStream(pem.toFile())) {
            fromPem = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertArrayEquals(cert.getEncoded(), fromPem.getEncoded());
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dataDir.resolve("tls").resolve("keystore-password"))));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dataDir.resolve("tls").resolve("broker.p12"))));
        assertNotNull(tls.httpsConnectionContext());
    }

    @Test
    void laterStartsReuseTheStoredCertificate() throws Exception {
        X509Certificate first = TlsMaterial.loadOrCreate(generated(List.of())).certificate();
        String pemBefore = Files.readString(dataDir.resolve("tls").resolve("broker-cert.pem"));
        X509Certificate second = TlsMaterial.loadOrCreate(generated(List.of())).certificate();
        assertArrayEquals(first.getEncoded(), second.getEncoded());
        assertEquals(pemBefore, Files.readString(dataDir.resolve("tls").resolve("broker-cert.pem")));
    }

    @Test
    void aNewHostNameGetsANewCertificate() throws Exception {
        X509Certificate first = TlsMaterial.loadOrCreate(generated(List.of())).certificate();
        X509Certificate second = TlsMaterial.loadOrCreate(generated(List.of("push.example.org"))).certificate();
        assertFalse(first.getSerialNumber().equals(second.getSerialNumber()));
        assertTrue(sanValues(second).contains("push.example.org"));
    }

    @Test
    void operatorProvidedPemFilesAreUsedAsGiven() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=operator.example");
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.TEN, Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(86400)),
                name, pair.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        Path certFile = dataDir.resolve("op-cert.pem");
        Path keyFile = dataDir.resolve("op-key.pem");
        Files.writeString(certFile, pem(cert));
        Files.writeString(keyFile, pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()));

        TlsMaterial tls = TlsMaterial.loadOrCreate(new TlsSettings(dataDir.resolve("tls"), TlsSettings.LOCAL_NAMES,
                Duration.ofDays(1), Optional.of(certFile), Optional.of(keyFile)));
        assertArrayEquals(cert.getEncoded(), tls.certificate().getEncoded());
        assertEquals(certFile, tls.certificatePemFile());
        assertFalse(Files.exists(dataDir.resolve("tls").resolve("broker.p12")));

        // a key that does not belong to the certificate is refused at start
        KeyPair other = generator.generateKeyPair();
        Files.writeString(keyFile, pem(new JcaPKCS8Generator(other.getPrivate(), null).generate()));
        assertThrows(IllegalStateException.class, () -> TlsMaterial.loadOrCreate(new TlsSettings(dataDir.resolve("tls"),
                TlsSettings.LOCAL_NAMES, Duration.ofDays(1), Optional.of(certFile), Optional.of(keyFile))));
    }

    private static String pem(Object o) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(o);
        }
        return out.toString();
    }
}
