package io.wakeline.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * uPlot (MIT), read once from its WebJar on the class path, so that every page carries the library inline and
 * needs nothing from the network when it is opened. The version is the WebJar's own (pinned in the parent pom).
 */
record ChartLibrary(String version, String script, String css, String license) {
    private static final String WEBJAR = "META-INF/resources/webjars/uplot/";
    private static final String POM_PROPERTIES = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private static final class Holder {
        static final ChartLibrary INSTANCE = load();
    }

    static ChartLibrary get() {
        return Holder.INSTANCE;
    }

    private static ChartLibrary load() {
        Properties pom = new Properties();
        try (InputStream in = resource(POM_PROPERTIES)) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = pom.getProperty("version");
        String base = WEBJAR + version + "/";
        return new ChartLibrary(version, text(base + "dist/uPlot.iife.min.js"), text(base + "dist/uPlot.min.css"),
                text(base + "LICENSE"));
    }

    static String text(String path) {
        try (InputStream in = resource(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = ChartLibrary.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is not on the class path (the uplot WebJar is a dependency of wakeline-run-report)");
        }
        return in;
    }
}
