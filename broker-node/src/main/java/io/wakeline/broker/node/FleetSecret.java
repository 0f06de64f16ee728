package io.wakeline.broker.node;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret device credentials derive from ({@code wakeline.fleet-secret}, docs/protocol.md). Taken
 * from configuration when set; otherwise generated once into {@code <data-dir>/keys/fleet-secret}
 * (hex, owner-only), which is what a single-node quickstart uses.
 */
public final class FleetSecret {
    static final int MIN_BYTES = 32;

    private FleetSecret() {
    }

    public static byte[] load(Config config) {
        String configured = config.getString("wakeline.fleet-secret").trim();
        if (!configured.isEmpty()) {
            return parse(configured, "wakeline.fleet-secret");
        }
        Path file = file(config);
        try {
            if (Files.exists(file)) {
                return parse(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
            }
            byte[] secret = new byte[MIN_BYTES];
            new SecureRandom().nextBytes(secret);
            Files.createDirectories(file.getParent());
            Files.writeString(file, HexFormat.of().formatHex(secret) + "\n", StandardCharsets.US_ASCII);
            restrictToOwner(file);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the fleet secret at " + file, e);
        }
    }

    public static Path file(Config config) {
        return Path.of(config.getString("wakeline.data-dir"), "keys", "fleet-secret");
    }

    private static byte[] parse(String hex, String source) {
        byte[] secret;
        try {
            secret = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fleet secret from " + source + " is not hex");
        }
        if (secret.length < MIN_BYTES) {
            throw new IllegalArgumentException("fleet secret from " + source + " must be at least " + MIN_BYTES + " bytes");
        }
        return secret;
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the operator is responsible for the directory's permissions
        }
    }
}
