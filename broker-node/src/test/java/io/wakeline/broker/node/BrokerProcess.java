package io.wakeline.broker.node;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A broker node in its own JVM, started from the test's classpath with a config file. */
final class BrokerProcess {
    private final Process process;
    private final Path log;

    private BrokerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the node and waits until it logged that it is up and both listeners accept connections. */
    static BrokerProcess start(Path configFile, Path log, int https, int devicePort) throws Exception {
        BrokerProcess broker = launch(configFile, log);
        broker.awaitUp(https, devicePort);
        return broker;
    }

    /** Starts the node without waiting (several nodes of one cluster start together); see {@link #awaitUp}. */
    static BrokerProcess launch(Path configFile, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-Dconfig.file=" + configFile,
                "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new BrokerProcess(process, log);
    }

    void awaitUp(int https, int devicePort) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!(Files.exists(log) && Files.readString(log).contains("Wakeline node up"))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                kill();
                throw new AssertionError("broker process did not come up; its log:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        for (int port : new int[] {https, devicePort}) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                probe.getPort();
            }
        }
    }

    /** SIGKILL: no shutdown hooks, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the node's coordinated shutdown (drain, hand-off, leave); its exit code, or -1 if still running. */
    int terminate(long waitSeconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(waitSeconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }
}
