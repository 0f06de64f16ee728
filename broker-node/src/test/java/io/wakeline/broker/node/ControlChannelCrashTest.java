package io.wakeline.broker.node;

import static io.wakeline.broker.TestWaits.awaitUntil;
import static io.wakeline.broker.node.TestNodeConfig.APP_A;
import static io.wakeline.broker.node.TestNodeConfig.FLEET_SECRET;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigRenderOptions;
import io.wakeline.broker.TestDatabase;
import io.wakeline.protocol.v1.AppExecutionState;
import io.wakeline.protocol.v1.AppStateReport;
import io.wakeline.protocol.v1.ControlChannelOperation;
import io.wakeline.protocol.v1.ControlChannelRequest;
import io.wakeline.protocol.v1.ControlChannelResourceType;
import io.wakeline.protocol.v1.ControlChannelTriggerStatus;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.LockScreenConsent;
import io.wakeline.protocol.v1.LockScreenConsentAnswer;
import io.wakeline.protocol.v1.LockScreenRequest;
import io.wakeline.protocol.v1.ManifestBackgroundTask;
import io.wakeline.protocol.v1.Notification;
import io.wakeline.simulator.DeviceModelMode;
import io.wakeline.simulator.DeviceSimulator;
import io.wakeline.simulator.NotificationListener;
import io.wakeline.simulator.SimulatorConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The guaranteed path's acceptance test: the broker runs as a separate OS process, simulated devices hold control
 * channels, an app server sends sequenced messages to several channels without pause; the broker is killed with
 * SIGKILL mid-stream and started again on the same data (H2 file or PostgreSQL database). Every message answered
 * 2xx is processed by its device exactly once, none is lost, and each channel's order is kept; redeliveries are
 * dropped by the devices' de-duplication.
 */
class ControlChannelCrashTest {
    private static final int DEVICES = 3;
    private static final String CHANNEL = "chat";

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(PersistenceBackend.class)
    void everyAcceptedMessageIsProcessedExactlyOnceAcrossAKill9(PersistenceBackend backend) throws Exception {
        TestDatabase.require(backend);
        try (TestDatabase database = TestDatabase.create(backend, "cc-crash")) {
            run(database);
        }
    }

    private void run(TestDatabase database) throws Exception {
        int https = TestNodeConfig.freePort();
        int devicePort = TestNodeConfig.freePort();
        Path configFile = dataDir.resolve("node.conf");
        Files.createDirectories(dataDir);
        Files.writeString(configFile, TestNodeConfig.hocon(dataDir, https, devicePort, 0, """
                akka.loglevel = INFO
                wakeline.control-channels.ack-batch-interval = 100ms
                """) + "\n" + database.config().root().render(ConfigRenderOptions.concise().setJson(false)));

        Map<String, List<Long>> processed = new ConcurrentHashMap<>(); // channel URI key → payload numbers in order
        Map<String, String> deviceOfUri = new ConcurrentHashMap<>();
        NotificationListener listener = new NotificationListener() {
            @Override
            public void onNotification(String deviceId, Notification notification) {
            }

            @Override
            public void onControlMessage(String deviceId, Notification notification) {
                String[] parts = notification.getPayload().toStringUtf8().split("#");
                processed.computeIfAbsent(parts[0], k -> new CopyOnWriteArrayList<>()).add(Long.parseLong(parts[1]));
            }
        };
        BrokerProcess broker = BrokerProcess.start(configFile, dataDir.resolve("broker-1.log"), https, devicePort);
        DeviceSimulator simulator = null;
        try {
            simulator = DeviceSimulator.start(SimulatorConfig.builder()
                    .host("127.0.0.1").port(devicePort).deviceCount(DEVICES).deviceIdPrefix("crash-")
                    .fleetSecret(FLEET_SECRET).appIds(List.of(APP_A))
                    .deviceModel(DeviceModelMode.OFF)
                    .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                    .listener(listener)
                    .build());
            assertTrue(simulator.awaitChannels(Duration.ofSeconds(30)), simulator.stats()::summaryLine);
            List<String> uris = new ArrayList<>();
            for (int d = 0; d < DEVICES; d++) {
                String device = "crash-" + d;
                uris.add(createControlChannel(simulator, device));
            }
            uris.forEach(uri -> deviceOfUri.put(keyOf(uri), uri));

            String baseUrl = "https://localhost:" + https;
            Path certificate = dataDir.resolve("tls").resolve("broker-cert.pem");
            AppServerClient appServer = new AppServerClient(baseUrl, certificate);
            String token = appServer.token(APP_A, SECRET_A);

            Map<String, List<Long>> accepted = new ConcurrentHashMap<>();
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicInteger failures = new AtomicInteger();
            List<Thread> senders = new ArrayList<>();
            for (String uri : uris) {
                Thread sender = new Thread(() -> {
                    long n = 0;
                    while (sending.get()) {
                        n++;
                        try {
                            HttpResponse<String> response = appServer.http().send(HttpRequest.newBuilder(URI.create(uri))
                                    .timeout(Duration.ofSeconds(5))
                                    .header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/octet-stream")
                                    .POST(HttpRequest.BodyPublishers.ofString(keyOf(uri) + "#" + n))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() / 100 == 2) {
                                accepted.computeIfAbsent(keyOf(uri), k -> new CopyOnWriteArrayList<>()).add(n);
                            } else {
                                failures.incrementAndGet();
                                Thread.sleep(50);
                            }
                        } catch (IOException e) {
                            failures.incrementAndGet();
                            sleepQuietly(50);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "cc-sender-" + senders.size());
                sender.setDaemon(true);
                sender.start();
                senders.add(sender);
            }

            awaitUntil(Duration.ofSeconds(20), () -> ControlTraffic.total(accepted) >= 150);
            broker.kill(); // SIGKILL mid-stream: no shutdown hooks, no flush
            int acceptedAtKill = ControlTraffic.total(accepted);
            broker = BrokerProcess.start(configFile, dataDir.resolve("broker-2.log"), https, devicePort);
            awaitUntil(Duration.ofSeconds(30), () -> ControlTraffic.total(accepted) >= acceptedAtKill + 150);
            sending.set(false);
            for (Thread sender : senders) {
                sender.join(10_000);
            }

            DeviceSimulator sim = simulator;
            ControlTraffic.assertEveryAcceptedProcessedOnceInOrder(accepted, processed, Duration.ofSeconds(30), sim);
            System.out.println("crash test " + database + ": accepted=" + ControlTraffic.total(accepted) + " (" + acceptedAtKill
                    + " before the kill) refused-or-failed=" + failures.get() + " | " + sim.stats().summaryLine());
        } finally {
            if (simulator != null) {
                simulator.close();
            }
            broker.kill();
        }
    }

    static String createControlChannel(DeviceSimulator simulator, String device) throws Exception {
        AtomicInteger ids = new AtomicInteger(100);
        Envelope asked = simulator.request(device, Envelope.newBuilder().setLockScreenRequest(LockScreenRequest.newBuilder()
                .setRequestId(ids.incrementAndGet()).setAppId(APP_A)
                .addDeclaredTasks(ManifestBackgroundTask.MANIFEST_CONTROL_CHANNEL)).build(),
                Envelope.BodyCase.LOCK_SCREEN_STATUS).get(10, TimeUnit.SECONDS);
        assertTrue(asked.getLockScreenStatus().getShowConsentPrompt(), asked::toString);
        simulator.request(device, Envelope.newBuilder().setLockScreenConsent(LockScreenConsentAnswer.newBuilder()
                .setRequestId(ids.incrementAndGet()).setAppId(APP_A).setConsent(LockScreenConsent.CONSENT_ALLOW)).build(),
                Envelope.BodyCase.LOCK_SCREEN_STATUS).get(10, TimeUnit.SECONDS);
        simulator.send(device, Envelope.newBuilder().setAppStateReport(AppStateReport.newBuilder()
                .setAppId(APP_A).setState(AppExecutionState.FOREGROUND)).build());
        Envelope created = simulator.request(device, Envelope.newBuilder().setControlChannelRequest(ControlChannelRequest.newBuilder()
                .setRequestId(ids.incrementAndGet()).setAppId(APP_A).setChannelId(CHANNEL).setServerKeepAliveMinutes(15)
                .setResourceType(ControlChannelResourceType.REQUEST_SOFTWARE_SLOT)
                .setOperation(ControlChannelOperation.CREATE)).build(),
                Envelope.BodyCase.CONTROL_CHANNEL_STATUS).get(10, TimeUnit.SECONDS);
        assertEquals(ControlChannelTriggerStatus.SOFTWARE_SLOT_ALLOCATED, created.getControlChannelStatus().getStatus(),
                created::toString);
        String uri = created.getControlChannelStatus().getControlChannelUri();
        assertTrue(uri.contains("/cc/"), uri);
        return uri;
    }

    private static String keyOf(String uri) {
        return Integer.toHexString(uri.hashCode());
    }



    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
