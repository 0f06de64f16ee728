package io.wakeline.doctests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout these tests read and run from: its docs, and the launchers under each module's target/dist. */
final class Repository {
    private Repository() {
    }

    static Path root() {
        return Path.of(System.getProperty("wakeline.repo-root", "..")).toAbsolutePath().normalize();
    }

    static String read(String relative) {
        try {
            return Files.readString(root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port free right now on the loopback interface (the node binds it moments later). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CI (CI=true) must run what a developer may skip for a missing tool. */
    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
