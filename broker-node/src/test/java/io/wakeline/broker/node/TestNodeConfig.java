package io.wakeline.broker.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;

/** Configuration of a broker node for tests: its own data dir, free ports, known keys and apps. */
public final class TestNodeConfig {
    public static final String APP_A = "ms-app://S-1-15-2-1001";
    public static final String APP_B = "ms-app://S-1-15-2-2002";
    public static final String SECRET_A = "secret-of-app-a";
    public static final String SECRET_B = "secret-of-app-b";
    public static final byte[] FLEET_SECRET = "wakeline-test-fleet-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    public static final String ADMIN_TOKEN = "admin-token-for-tests";
    private static final String CHANNEL_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String ACCESS_KEY = Base64.getEncoder().encodeToString(filled(32, (byte) 7));

    private TestNodeConfig() {
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A node on the embedded H2 journal with fixed ports (so a restarted node keeps them) and extra HOCON on top. */
    public static Config node(Path dataDir, int httpsPort, int devicePort, int remotingPort, String extraHocon) {
        return node(dataDir, httpsPort, devicePort, remotingPort, TestDatabase.h2(), extraHocon);
    }

    /** The same on the journal {@code database} (H2 under dataDir, or a PostgreSQL database of the test's). */
    public static Config node(Path dataDir, int httpsPort, int devicePort, int remotingPort, TestDatabase database,
            String extraHocon) {
        return BrokerConfig.load(ConfigFactory.parseString(hocon(dataDir, httpsPort, devicePort, remotingPort, extraHocon))
                .withFallback(database.config()));
    }

    /** The node's HOCON (without the database choice), e.g. for a node started as a separate process. */
    public static String hocon(Path dataDir, int httpsPort, int devicePort, int remotingPort, String extraHocon) {
        return """
                wakeline.data-dir = "%s"
                wakeline.fleet-secret = "%s"
                wakeline.keys.channel-token-key = "%s"
                wakeline.keys.access-token-key = "%s"
                wakeline.admin.token = "%s"
                wakeline.apps = [
                  { package-sid = "%s", client-secret = "%s" },
                  { package-sid = "%s", client-secret = "%s" }
                ]
                wakeline.app-gateway.host = "127.0.0.1"
                wakeline.app-gateway.port = %d
                wakeline.app-gateway.public-base-url = "https://localhost:%d"
                wakeline.app-gateway.app-registry.pbkdf2-iterations = 1000
                wakeline.device-gateway.host = "127.0.0.1"
                wakeline.device-gateway.port = %d
                akka.remote.artery.canonical.port = %d
                akka.actor.serialize-messages = on
                akka.loglevel = WARNING
                akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                akka.coordinated-shutdown.exit-jvm = off
                akka.management.http.port = 0
                akka.coordinated-shutdown.phases.before-service-unbind.timeout = 2s
                %s
                """.formatted(dataDir.toAbsolutePath().toString().replace("\\\\", "/"),
                HexFormat.of().formatHex(FLEET_SECRET), CHANNEL_KEY, ACCESS_KEY, ADMIN_TOKEN,
                APP_A, SECRET_A, APP_B, SECRET_B, httpsPort, httpsPort, devicePort, remotingPort, extraHocon);
    }

    private static byte[] filled(int n, byte b) {
        byte[] bytes = new byte[n];
        java.util.Arrays.fill(bytes, b);
        return bytes;
    }
}
