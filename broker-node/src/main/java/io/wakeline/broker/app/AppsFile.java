package io.wakeline.broker.app;

import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code wakeline.apps-file} ({@code WAKELINE_APPS_FILE}): apps registered at start, one per line as
 * {@code <package-sid> <client-secret>}, blank lines and {@code #} comments skipped. Meant for deployments configured
 * by environment only (a mounted Secret in Kubernetes, a file beside a container), where a HOCON list is awkward.
 */
final class AppsFile {
    static final String CONFIG_PATH = "wakeline.apps-file";

    private AppsFile() {
    }

    /** @throws ConfigException.BadValue naming the file and line of anything malformed, or why it cannot be read */
    static List<ConfiguredApp> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException.BadValue(CONFIG_PATH, "cannot read " + file + ": " + e);
        }
        List<ConfiguredApp> apps = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            String where = file + " line " + (i + 1);
            if (fields.length != 2) {
                // the secret is never echoed, not even a malformed one
                throw new ConfigException.BadValue(CONFIG_PATH, where + ": expected '<package-sid> <client-secret>', got "
                        + fields.length + " field(s)");
            }
            if (!seen.add(fields[0])) {
                throw new ConfigException.BadValue(CONFIG_PATH, where + ": " + fields[0] + " is listed twice");
            }
            try {
                apps.add(new ConfiguredApp(fields[0], fields[1]));
            } catch (IllegalArgumentException e) {
                throw new ConfigException.BadValue(CONFIG_PATH, where + ": " + e.getMessage());
            }
        }
        return apps;
    }
}
