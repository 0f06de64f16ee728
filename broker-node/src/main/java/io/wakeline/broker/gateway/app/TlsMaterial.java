package io.wakeline.broker.gateway.app;

import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.HttpsConnectionContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app gateway's TLS identity: a certificate chain and its private key, as an {@link SSLContext}
 * and an Akka {@link HttpsConnectionContext}.
 *
 * <p>Without operator-provided PEM files, the first start generates a self-signed EC P-256 certificate
 * (SAN: localhost, 127.0.0.1, ::1, the public host and any extra names) and keeps it in
 * {@code <data-dir>/tls/}: {@code broker.p12} (PKCS12 key store), {@code keystore-password} (a random
 * password, 0600; generated rather than derived so that nothing else on disk yields it) and
 * {@code broker-cert.pem} (the certificate, for clients to trust). Later starts reuse it; it is
 * replaced only when it has expired or no longer covers the configured host names.
 */
public final class TlsMaterial {
    private static final Logger log = LoggerFactory.getLogger(TlsMaterial.class);

    static final String KEYSTORE_FILE = "broker.p12";
    static final String PASSWORD_FILE = "keystore-password";
    public static final String CERTIFICATE_PEM_FILE = "broker-cert.pem";
    private static final String ALIAS = "wakeline-app-gateway";
    private static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofHours(1);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<X509Certificate> chain;
    private final SSLContext sslContext;
    private final Path certificatePemFile;

    private TlsMaterial(List<X509Certificate> chain, SSLContext sslContext, Path certificatePemFile) {
        this.chain = List.copyOf(chain);
        this.sslContext = sslContext;
        this.certificatePemFile = certificatePemFile;
    }

    public static TlsMaterial loadOrCreate(TlsSettings settings) {
        try {
            return settings.operatorProvided() ? fromPemFiles(settings) : generatedOrStored(settings);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    public SSLContext sslContext() {
        return sslContext;
    }

    public HttpsConnectionContext httpsConnectionContext() {
        return ConnectionContext.httpsServer(sslContext);
    }

    /** The server's own certificate (first of the chain). */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    /** The PEM file clients should trust: the generated {@code broker-cert.pem}, or the operator's file. */
    public Path certificatePemFile() {
        return certificatePemFile;
    }

    // ---- self-signed, generated once ----------------------------------------------------------------

    private static TlsMaterial generatedOrStored(TlsSettings settings)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        Path dir = settings.directory();
        Path keystoreFile = dir.resolve(KEYSTORE_FILE);
        Path passwordFile = dir.resolve(PASSWORD_FILE);
        Path pemFile = dir.resolve(CERTIFICATE_PEM_FILE);
        // default permissions: the certificate must be readable by clients; secrets inside are 0600
        Files.createDirectories(dir);

        if (Files.exists(keystoreFile) && Files.exists(passwordFile)) {
            char[] password = Files.readString(passwordFile, StandardCharsets.US_ASCII).trim().toCharArray();
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(keystoreFile)) {
                keyStore.load(in, password);
            }
            X509Certificate cert = (X509Certificate) keyStore.getCertificate(ALIAS);
            Optional<String> unfit = cert == null
                    ? Optional.of("no certificate under " + ALIAS)
                    : unfitness(cert, settings.hostNames());
            if (unfit.isEmpty()) {
                if (!Files.exists(pemFile)) {
                    writePublic(pemFile, pem(List.of(cert)));
                }
                log.info("Reusing TLS certificate file={} notAfter={}", pemFile, cert.getNotAfter().toInstant());
                return new TlsMaterial(List.of(cert), sslContext(keyStore, password), pemFile);
            }
            log.warn("Replacing the generated TLS certificate in dir={}: {}", dir, unfit.get());
        }

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        KeyPair keyPair = generator.generateKeyPair();
        X509Certificate cert = selfSigned(keyPair, settings.hostNames(), settings.validity());

        char[] password = randomPassword();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry(ALIAS, keyPair.getPrivate(), password, new Certificate[] {cert});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        keyStore.store(bytes, password);

        OwnerOnlyFiles.write(passwordFile, (new String(password) + "\n").getBytes(StandardCharsets.US_ASCII));
        OwnerOnlyFiles.write(keystoreFile, bytes.toByteArray());
        writePublic(pemFile, pem(List.of(cert)));
        log.info("Generated a self-signed TLS certificate file={} names={} notAfter={}",
                pemFile, settings.hostNames(), cert.getNotAfter().toInstant());
        return new TlsMaterial(List.of(cert), sslContext(keyStore, password), pemFile);
    }

    private static X509Certificate selfSigned(KeyPair keyPair, List<String> hostNames, Duration validity)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + hostNames.get(0) + ",O=Wakeline broker");
        List<GeneralName> names = new ArrayList<>();
        for (String name : hostNames) {
            names.add(isIpLiteral(name)
                    ? new GeneralName(GeneralName.iPAddress, name)
                    : new GeneralName(GeneralName.dNSName, name));
        }
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                new BigInteger(127, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(CLOCK_SKEW_ALLOWANCE)),
                Date.from(now.plus(validity)),
                subject,
                keyPair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    /** Why a stored certificate can no longer be used; empty when it can. */
    private static Optional<String> unfitness(X509Certificate cert, List<String> hostNames) throws CertificateParsingException {
        try {
            cert.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return Optional.of("outside its validity period");
        }
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        List<String> dnsNames = new ArrayList<>();
        List<InetAddress> ips = new ArrayList<>();
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                if (type == GeneralName.dNSName) {
                    dnsNames.add(value.toLowerCase(Locale.ROOT));
                } else if (type == GeneralName.iPAddress) {
                    ipLiteral(value).ifPresent(ips::add);
                }
            }
        }
        for (String name : hostNames) {
            boolean covered = isIpLiteral(name)
                    ? ipLiteral(name).map(ips::contains).orElse(false)
                    : dnsNames.contains(name.toLowerCase(Locale.ROOT));
            if (!covered) {
                return Optional.of("it does not cover " + name);
            }
        }
        return Optional.empty();
    }

    static boolean isIpLiteral(String name) {
        return name.contains(":") || IPV4.matcher(name).matches();
    }

    private static Optional<InetAddress> ipLiteral(String literal) {
        try {
            // a literal never causes a DNS lookup
            return Optional.of(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static char[] randomPassword() {
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
    }

    // ---- operator-provided PEM ----------------------------------------------------------------------

    private static TlsMaterial fromPemFiles(TlsSettings settings) throws IOException, GeneralSecurityException {
        Path certFile = settings.certificatePemFile().orElseThrow();
        Path keyFile = settings.privateKeyPemFile().orElseThrow();
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(certFile, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + certFile);
        }
        PrivateKey key = readPrivateKey(keyFile);
        checkKeyMatches(key, chain.get(0), keyFile);

        char[] password = randomPassword();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry(ALIAS, key, password, chain.toArray(Certificate[]::new));
        log.info("Using the operator-provided TLS certificate file={} subject={}", certFile,
                chain.get(0).getSubjectX500Principal().getName());
        return new TlsMaterial(chain, sslContext(keyStore, password), certFile);
    }

    private static PrivateKey readPrivateKey(Path keyFile) throws IOException, GeneralSecurityException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new GeneralSecurityException("no unencrypted private key (PKCS#8, PKCS#1 or SEC1 PEM) in " + keyFile);
    }

    /** Fails fast when the key does not belong to the certificate, instead of at every handshake. */
    private static void checkKeyMatches(PrivateKey key, X509Certificate cert, Path keyFile) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = "wakeline-key-check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(cert.getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the private key in " + keyFile + " does not match the certificate");
        }
    }

    // ---- shared -------------------------------------------------------------------------------------

    private static SSLContext sslContext(KeyStore keyStore, char[] password) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, RANDOM);
        return context;
    }

    private static String pem(List<X509Certificate> certs) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (X509Certificate cert : certs) {
                writer.writeObject(cert);
            }
        }
        return out.toString();
    }

    /** The certificate is public: written world-readable so any client on the machine can trust it. */
    private static void writePublic(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: platform defaults
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
