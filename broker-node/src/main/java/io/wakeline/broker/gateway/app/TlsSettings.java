package io.wakeline.broker.gateway.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code wakeline.app-gateway.tls}: either operator-provided PEM files, or a self-signed certificate
 * generated once under {@code <data-dir>/tls/} for {@link #hostNames()}.
 *
 * @param hostNames names and IP literals the generated certificate is valid for (its SAN)
 */
public record TlsSettings(
        Path directory,
        List<String> hostNames,
        Duration validity,
        Optional<Path> certificatePemFile,
        Optional<Path> privateKeyPemFile) {

    /** Always in a generated certificate, so local clients can connect however they name the node. */
    public static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1", "::1");
    private static final String PATH = "wakeline.app-gateway.tls";

    public TlsSettings {
        hostNames = List.copyOf(hostNames);
        if (certificatePemFile.isPresent() != privateKeyPemFile.isPresent()) {
            throw new ConfigException.BadValue(PATH, "certificate-pem-file and private-key-pem-file go together");
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new ConfigException.BadValue(PATH + ".validity", "must be positive");
        }
    }

    /** True when the operator supplied the certificate and key. */
    public boolean operatorProvided() {
        return certificatePemFile.isPresent();
    }

    /** Reads the section; {@code publicHost} (the host of the public base URL) joins the SAN list. */
    public static TlsSettings fromConfig(Config root, String publicHost) {
        Config c = root.getConfig(PATH);
        Set<String> names = new LinkedHashSet<>(LOCAL_NAMES);
        if (publicHost != null && !publicHost.isBlank()) {
            names.add(publicHost);
        }
        names.addAll(c.getStringList("extra-host-names"));
        return new TlsSettings(
                Path.of(root.getString(BrokerKeys.DATA_DIR_PATH)).resolve("tls"),
                new ArrayList<>(names),
                c.getDuration("validity"),
                optionalPath(c.getString("certificate-pem-file")),
                optionalPath(c.getString("private-key-pem-file")));
    }

    private static Optional<Path> optionalPath(String value) {
        return value.isBlank() ? Optional.empty() : Optional.of(Path.of(value.trim()));
    }
}
