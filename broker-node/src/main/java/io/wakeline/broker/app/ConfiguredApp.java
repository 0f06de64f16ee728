package io.wakeline.broker.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One entry of {@code wakeline.apps}: an app registered at start. {@link #toString()} hides the secret. */
public record ConfiguredApp(String packageSid, String clientSecret) {
    public static final String CONFIG_PATH = "wakeline.apps";
    private static final String SID_KEY = "package-sid";
    private static final String SECRET_KEY = "client-secret";

    public ConfiguredApp {
        if (!PackageSid.isWellFormed(packageSid)) {
            throw new IllegalArgumentException("not a package SID (ms-app://…): " + packageSid);
        }
        if (clientSecret == null || clientSecret.isEmpty()) {
            throw new IllegalArgumentException("empty client secret for " + packageSid);
        }
    }

    /**
     * Reads {@code wakeline.apps}, then the lines of {@code wakeline.apps-file} when it names a file
     * ({@link AppsFile}). An entry with neither key is skipped: it is the placeholder that
     * reference.conf appends for {@code WAKELINE_APP_SID}/{@code WAKELINE_APP_SECRET} when they are unset.
     * An entry with only one of the two keys, or a malformed SID, is a configuration error.
     */
    public static List<ConfiguredApp> fromConfig(Config root) {
        List<ConfiguredApp> apps = new ArrayList<>();
        if (root.hasPath(AppsFile.CONFIG_PATH) && !root.getString(AppsFile.CONFIG_PATH).isBlank()) {
            apps.addAll(AppsFile.read(Path.of(root.getString(AppsFile.CONFIG_PATH))));
        }
        if (!root.hasPath(CONFIG_PATH)) {
            return apps;
        }
        for (Config entry : root.getConfigList(CONFIG_PATH)) {
            boolean hasSid = entry.hasPath(SID_KEY);
            boolean hasSecret = entry.hasPath(SECRET_KEY);
            if (!hasSid && !hasSecret) {
                continue;
            }
            if (hasSid != hasSecret) {
                throw new ConfigException.Missing(CONFIG_PATH + "[]." + (hasSid ? SECRET_KEY : SID_KEY));
            }
            try {
                apps.add(new ConfiguredApp(entry.getString(SID_KEY), entry.getString(SECRET_KEY)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException.BadValue(CONFIG_PATH, e.getMessage());
            }
        }
        return apps;
    }

    @Override
    public String toString() {
        return "ConfiguredApp[packageSid=" + packageSid + ", clientSecret=<redacted>]";
    }
}
