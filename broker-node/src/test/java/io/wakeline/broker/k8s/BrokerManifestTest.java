package io.wakeline.broker.k8s;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.wakeline.broker.k8s.K8sTree.Manifest;
import io.wakeline.broker.management.MetricsRoute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The manifests agree with the node they deploy: ports, environment, probes, bootstrap, shutdown budget. */
class BrokerManifestTest {
    private static final String IMAGE = "wakeline";
    private static final Pattern ENV_IN_CONF = Pattern.compile("\\$\\{\\?([A-Z][A-Z0-9_]*)}");

    private static final List<Manifest> ALL = K8sTree.all();

    // ---- the node's own view -------------------------------------------------------------------------

    /** application.conf over every reference.conf, without environment or system properties. */
    private static Config nodeDefaults() {
        ConfigFactory.invalidateCaches();
        return ConfigFactory.parseResourcesAnySyntax("application")
                .withFallback(ConfigFactory.parseResourcesAnySyntax("reference"))
                .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
    }

    private static Manifest broker() {
        return ALL.stream().filter(m -> m.kind().equals("Deployment") && m.name().equals("wakeline-broker")
                && m.file().startsWith(K8sTree.k8s().resolve("base"))).findFirst().orElseThrow();
    }

    private static Deployment brokerDeployment() {
        return (Deployment) broker().object();
    }

    private static Container brokerContainer() {
        return Workloads.containers(broker()).stream().filter(c -> c.getName().equals("broker")).findFirst().orElseThrow();
    }

    private static Optional<EnvVar> env(Container container, String name) {
        return Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                .filter(e -> e.getName().equals(name)).findFirst();
    }

    private static int containerPort(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .map(ContainerPort::getContainerPort).orElseThrow(() -> new AssertionError("no container port " + name));
    }

    // ---- ports -------------------------------------------------------------------------------------------

    @Test
    void theBrokersNamedPortsAreTheNodesDefaultPorts() {
        Config node = nodeDefaults();
        Container broker = brokerContainer();
        Map<String, String> portKeys = Map.of(
                "management", "akka.management.http.port",
                "https", "wakeline.app-gateway.port",
                "devices", "wakeline.device-gateway.port",
                "remoting", "akka.remote.artery.canonical.port");
        Map<String, String> portEnv = Map.of(
                "management", "WAKELINE_MANAGEMENT_PORT",
                "https", "WAKELINE_HTTPS_PORT",
                "devices", "WAKELINE_DEVICE_PORT",
                "remoting", "WAKELINE_REMOTING_PORT");
        assertEquals(portKeys.keySet(), broker.getPorts().stream().map(ContainerPort::getName).collect(Collectors.toSet()));
        assertEquals(Map.of("management", 8558, "https", 8443, "devices", 8700, "remoting", 25520),
                portKeys.keySet().stream().collect(Collectors.toMap(Function.identity(), name -> containerPort(broker, name))));
        assertAll(portKeys.entrySet().stream().<Executable>map(entry -> () -> {
            int port = containerPort(broker, entry.getKey());
            assertEquals(node.getInt(entry.getValue()), port, entry.getValue());
            env(broker, portEnv.get(entry.getKey())).ifPresent(e -> assertEquals(String.valueOf(port), e.getValue(), e.getName()));
        }).toList());
    }

    // ---- environment ---------------------------------------------------------------------------------------

    @Test
    void everyVariableSetForOurProgramsIsOneTheyRead() {
        Set<String> nodeReads = nodeEnvironmentReads();
        String launcher = read(K8sTree.root().resolve("broker-node/src/main/dist/bin/wakeline-broker"));
        List<Executable> checks = new ArrayList<>();
        for (Manifest manifest : ALL) {
            for (Container container : Workloads.containers(manifest)) {
                if (!IMAGE.equals(container.getImage())) {
                    continue; // not our program (PostgreSQL)
                }
                String commandLine = String.join(" ", Stream.concat(
                        Optional.ofNullable(container.getCommand()).orElse(List.of()).stream(),
                        Optional.ofNullable(container.getArgs()).orElse(List.of()).stream()).toList());
                List<String> command = Optional.ofNullable(container.getCommand()).orElse(List.of());
                boolean runsShell = !command.isEmpty() && command.get(0).equals("sh");
                Program program = commandLine.contains("io.wakeline.simulator.SimulatorMain") ? Program.SIMULATOR
                        : commandLine.contains("io.wakeline.loadtest.LoadTestMain") ? Program.LOAD_TEST : Program.BROKER;
                for (String name : environmentNames(container)) {
                    checks.add(() -> {
                        String where = manifest + " container " + container.getName() + ": " + name;
                        boolean expandedByKubernetes = commandLine.contains("$(" + name + ")")
                                || Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                                .anyMatch(e -> e.getValue() != null && e.getValue().contains("$(" + name + ")"));
                        boolean expandedByShell = runsShell && (commandLine.contains("$" + name) || commandLine.contains("${" + name + "}"));
                        boolean readByProgram = switch (program) {
                            case BROKER -> nodeReads.contains(name) || (name.equals("JAVA_OPTS") && launcher.contains("JAVA_OPTS"));
                            case SIMULATOR -> sourcesMention("device-simulator", name);
                            case LOAD_TEST -> sourcesMention("load-test", name);
                        };
                        assertTrue(expandedByKubernetes || expandedByShell || readByProgram, where + " is read by nothing");
                    });
                }
            }
        }
        assertFalse(checks.isEmpty());
        assertAll(checks);
    }

    private enum Program { BROKER, SIMULATOR, LOAD_TEST }

    /** Names in env plus the keys of the ConfigMaps an envFrom pulls in. */
    private static List<String> environmentNames(Container container) {
        List<String> names = new ArrayList<>();
        Optional.ofNullable(container.getEnv()).orElse(List.of()).forEach(e -> names.add(e.getName()));
        for (EnvFromSource source : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
            assertNotNull(source.getConfigMapRef(), "envFrom is used for ConfigMaps only");
            ConfigMap configMap = ALL.stream().filter(m -> m.kind().equals("ConfigMap") && m.name().equals(source.getConfigMapRef().getName()))
                    .map(m -> (ConfigMap) m.object()).findFirst()
                    .orElseThrow(() -> new AssertionError("no ConfigMap " + source.getConfigMapRef().getName()));
            names.addAll(configMap.getData().keySet());
        }
        return names;
    }

    /** ${?VAR} in the node's .conf files and in every reference.conf on its class path, and getenv("VAR") in its sources. */
    private static Set<String> nodeEnvironmentReads() {
        Set<String> names = new HashSet<>();
        try {
            for (URL url : Collections.list(BrokerManifestTest.class.getClassLoader().getResources("reference.conf"))) {
                try (var in = url.openStream()) {
                    collect(ENV_IN_CONF, new String(in.readAllBytes(), StandardCharsets.UTF_8), names);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path module = K8sTree.root().resolve("broker-node/src/main");
        files(module, ".conf").forEach(file -> collect(ENV_IN_CONF, read(file), names));
        files(module.resolve("java"), ".java").forEach(file ->
                collect(Pattern.compile("getenv\\(\"([A-Z][A-Z0-9_]*)\"\\)"), read(file), names));
        return names;
    }

    private static boolean sourcesMention(String module, String name) {
        return files(K8sTree.root().resolve(module).resolve("src/main/java"), ".java").stream()
                .anyMatch(file -> read(file).contains("\"" + name + "\""));
    }

    // ---- services, selectors, disruption budget -------------------------------------------------------

    @Test
    void everyServiceSelectsPodsThatExposeItsTargetPorts() {
        List<Manifest> services = ALL.stream().filter(m -> m.kind().equals("Service")
                && ((Service) m.object()).getSpec().getSelector() != null).toList();
        assertFalse(services.isEmpty());
        assertAll(services.stream().<Executable>map(manifest -> () -> {
            Service service = (Service) manifest.object();
            Map<String, String> selector = service.getSpec().getSelector();
            List<Manifest> selected = ALL.stream()
                    .filter(m -> Workloads.podTemplate(m).isPresent() && !Workloads.containers(m).isEmpty())
                    .filter(m -> Workloads.podLabels(m).entrySet().containsAll(selector.entrySet())).toList();
            assertFalse(selected.isEmpty(), manifest + " selects no pods");
            for (Manifest workload : selected) {
                List<ContainerPort> ports = Workloads.containers(workload).stream()
                        .flatMap(c -> Optional.ofNullable(c.getPorts()).orElse(List.of()).stream()).toList();
                for (ServicePort port : service.getSpec().getPorts()) {
                    var target = port.getTargetPort();
                    boolean exposed = target.getStrVal() != null
                            ? ports.stream().anyMatch(p -> target.getStrVal().equals(p.getName()))
                            : ports.stream().anyMatch(p -> target.getIntVal().equals(p.getContainerPort()));
                    assertTrue(exposed, manifest + " port " + port.getName() + " targets " + target + ", not a port of " + workload);
                }
            }
        }).toList());
    }

    @Test
    void theAppGatewayIsServedOn443AndTheDeviceGatewayOn8700() {
        Map<String, Service> services = ALL.stream().filter(m -> m.kind().equals("Service") && m.file().startsWith(K8sTree.k8s().resolve("base")))
                .collect(Collectors.toMap(Manifest::name, m -> (Service) m.object()));
        ServicePort https = services.get("wakeline-broker").getSpec().getPorts().get(0);
        assertEquals(443, https.getPort());
        assertEquals("https", https.getTargetPort().getStrVal());
        ServicePort devices = services.get("wakeline-devices").getSpec().getPorts().get(0);
        assertEquals(8700, devices.getPort());
        assertEquals("devices", devices.getTargetPort().getStrVal());
    }

    @Test
    void workloadSelectorsMatchTheirPodLabels() {
        assertAll(ALL.stream().filter(m -> m.tree().path("spec").has("selector") && Workloads.podTemplate(m).isPresent())
                .<Executable>map(m -> () -> {
                    Map<String, String> matchLabels = new java.util.LinkedHashMap<>();
                    m.tree().path("spec").path("selector").path("matchLabels").fields()
                            .forEachRemaining(field -> matchLabels.put(field.getKey(), field.getValue().asText()));
                    assertFalse(matchLabels.isEmpty(), m::toString);
                    assertTrue(Workloads.podLabels(m).entrySet().containsAll(matchLabels.entrySet()), m::toString);
                }).toList());
    }

    @Test
    void theDisruptionBudgetCoversTheBrokersAndKeepsAMajority() {
        PodDisruptionBudget budget = ALL.stream().filter(m -> m.kind().equals("PodDisruptionBudget"))
                .map(m -> (PodDisruptionBudget) m.object()).findFirst().orElseThrow();
        assertTrue(Workloads.podLabels(broker()).entrySet().containsAll(budget.getSpec().getSelector().getMatchLabels().entrySet()));
        int replicas = brokerDeployment().getSpec().getReplicas();
        assertEquals(1, budget.getSpec().getMaxUnavailable().getIntVal());
        assertTrue(replicas - 1 > replicas / 2, "after one voluntary disruption a majority of " + replicas + " remains");
    }

    // ---- probes, bootstrap, rolling updates -------------------------------------------------------------

    @Test
    void probesUseTheAkkaManagementHealthPathsOnTheManagementPort() {
        Config node = nodeDefaults();
        Container broker = brokerContainer();
        Probe readiness = broker.getReadinessProbe();
        Probe liveness = broker.getLivenessProbe();
        assertEquals("/" + node.getString("akka.management.health-checks.readiness-path"), readiness.getHttpGet().getPath());
        assertEquals("/" + node.getString("akka.management.health-checks.liveness-path"), liveness.getHttpGet().getPath());
        for (Probe probe : List.of(readiness, liveness)) {
            assertEquals("management", probe.getHttpGet().getPort().getStrVal());
            assertEquals(node.getInt("akka.management.http.port"), containerPort(broker, "management"));
        }
        // the readiness checks the node registers: membership, sharding of both entity types, gateways bound
        assertEquals(Set.of("cluster-membership", "sharding", "gateways-bound"),
                node.getConfig("akka.management.health-checks.readiness-checks").root().entrySet().stream()
                        .filter(e -> !String.valueOf(e.getValue().unwrapped()).isEmpty()).map(Map.Entry::getKey)
                        .collect(Collectors.toSet()));
        assertEquals(List.of("Device", "App"), node.getStringList("akka.cluster.sharding.healthcheck.names"));
    }

    @Test
    void clusterBootstrapFindsTheBrokerPodsByTheirAppLabelWithReadRightsOnPods() {
        Config node = nodeDefaults();
        Container broker = brokerContainer();
        assertEquals("kubernetes-api", env(broker, "WAKELINE_CLUSTER_FORMATION").orElseThrow().getValue());
        assertEquals("kubernetes-api", node.getString("akka.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
        EnvVar serviceName = env(broker, "AKKA_CLUSTER_BOOTSTRAP_SERVICE_NAME").orElseThrow();
        assertEquals("metadata.labels['app']", serviceName.getValueFrom().getFieldRef().getFieldPath());
        assertEquals("wakeline-broker", Workloads.podLabels(broker()).get("app"));
        assertEquals("app=%s", node.getString("akka.discovery.kubernetes-api.pod-label-selector"));

        int required = Integer.parseInt(env(broker, "REQUIRED_CONTACT_POINT_NR").orElseThrow().getValue());
        int replicas = brokerDeployment().getSpec().getReplicas();
        assertTrue(required >= 2 && required <= replicas, "REQUIRED_CONTACT_POINT_NR " + required + " for " + replicas + " replicas");

        // both addresses bootstrap compares and connects to are the pod's own IP
        assertEquals("status.podIP", env(broker, "POD_IP").orElseThrow().getValueFrom().getFieldRef().getFieldPath());
        assertEquals("$(POD_IP)", env(broker, "WAKELINE_REMOTING_HOST").orElseThrow().getValue());
        assertEquals("$(POD_IP)", env(broker, "WAKELINE_MANAGEMENT_HOST").orElseThrow().getValue());

        String account = brokerDeployment().getSpec().getTemplate().getSpec().getServiceAccountName();
        assertTrue(ALL.stream().anyMatch(m -> m.kind().equals("ServiceAccount") && m.name().equals(account)), account);
        RoleBinding binding = ALL.stream().filter(m -> m.kind().equals("RoleBinding")).map(m -> (RoleBinding) m.object())
                .filter(b -> b.getSubjects().stream().anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(account)))
                .findFirst().orElseThrow(() -> new AssertionError("no RoleBinding for " + account));
        Role role = ALL.stream().filter(m -> m.kind().equals("Role") && m.name().equals(binding.getRoleRef().getName()))
                .map(m -> (Role) m.object()).findFirst().orElseThrow();
        PolicyRule rule = role.getRules().stream().filter(r -> r.getResources().contains("pods")).findFirst().orElseThrow();
        assertEquals(List.of(""), rule.getApiGroups());
        assertTrue(rule.getVerbs().containsAll(List.of("get", "watch", "list")), rule::toString);
    }

    @Test
    void aRollingUpdateAddsANodeBeforeItRemovesOne() {
        var update = brokerDeployment().getSpec().getStrategy();
        assertEquals("RollingUpdate", update.getType());
        assertEquals(1, update.getRollingUpdate().getMaxSurge().getIntVal());
        assertEquals(0, update.getRollingUpdate().getMaxUnavailable().getIntVal());
    }

    // ---- resources, JVM, shutdown -------------------------------------------------------------------------

    @Test
    void everyContainerHasEqualMemoryRequestAndLimitACpuRequestAndNoCpuLimit() {
        List<Executable> checks = new ArrayList<>();
        for (Manifest manifest : ALL) {
            boolean isPatch = manifest.file().startsWith(K8sTree.k8s().resolve("overlays"));
            for (Container container : Workloads.containers(manifest)) {
                checks.add(() -> {
                    String where = manifest + " container " + container.getName();
                    ResourceRequirements resources = container.getResources();
                    if (resources == null && isPatch) {
                        return;
                    }
                    assertNotNull(resources, where);
                    assertNotNull(resources.getRequests().get("memory"), where + ": memory request");
                    assertEquals(resources.getRequests().get("memory"), resources.getLimits().get("memory"), where + ": memory request == limit");
                    assertNotNull(resources.getRequests().get("cpu"), where + ": cpu request");
                    assertNull(resources.getLimits().get("cpu"), where + ": no CPU limit (CFS throttling starves the JVM)");
                });
            }
        }
        assertFalse(checks.isEmpty());
        assertAll(checks);
    }

    @Test
    void theJvmSizesItsHeapFromTheContainer() {
        String javaOpts = env(brokerContainer(), "JAVA_OPTS").orElseThrow().getValue();
        assertTrue(javaOpts.contains("-XX:MaxRAMPercentage="), javaOpts);
        assertFalse(javaOpts.contains("-Xmx"), "a fixed -Xmx ignores the container's memory: " + javaOpts);
    }

    @Test
    void theWorstCaseCoordinatedShutdownFitsTheGracePeriod() {
        Config shutdown = nodeDefaults().getConfig("akka.coordinated-shutdown");
        Duration defaultTimeout = shutdown.getDuration("default-phase-timeout");
        Duration total = Duration.ZERO;
        for (Map.Entry<String, ConfigValue> phase : shutdown.getConfig("phases").root().entrySet()) {
            Config phaseConfig = shutdown.getConfig("phases").getConfig("\"" + phase.getKey() + "\"");
            total = total.plus(phaseConfig.hasPath("timeout") ? phaseConfig.getDuration("timeout") : defaultTimeout);
        }
        PodSpec pod = brokerDeployment().getSpec().getTemplate().getSpec();
        long grace = pod.getTerminationGracePeriodSeconds();
        assertTrue(total.getSeconds() <= grace, "phases may take " + total + ", the pod is killed after " + grace + " s");
        assertTrue(shutdown.getBoolean("exit-jvm"), "a downed node must exit so that Kubernetes restarts it");
        assertTrue(shutdown.getBoolean("run-by-jvm-shutdown-hook"), "SIGTERM must run coordinated shutdown");
    }

    // ---- secrets, TLS, metrics ----------------------------------------------------------------------------

    @Test
    void theNodesShareKeysCertificateAndPasswordsThroughSecrets() {
        Container broker = brokerContainer();
        assertAll(Stream.of("WAKELINE_FLEET_SECRET", "WAKELINE_CHANNEL_TOKEN_KEY", "WAKELINE_ACCESS_TOKEN_KEY",
                "WAKELINE_ADMIN_TOKEN", "WAKELINE_DB_PASSWORD").<Executable>map(name -> () -> {
            EnvVar var = env(broker, name).orElseThrow(() -> new AssertionError(name + " not set"));
            assertNotNull(var.getValueFrom(), name);
            assertNotNull(var.getValueFrom().getSecretKeyRef(), name + " comes from a Secret");
            assertTrue(var.getValueFrom().getSecretKeyRef().getOptional() == null || !var.getValueFrom().getSecretKeyRef().getOptional(),
                    name + " is required: a node with its own generated key would break the cluster");
        }).toList());

        var mounts = broker.getVolumeMounts();
        var volumes = brokerDeployment().getSpec().getTemplate().getSpec().getVolumes();
        for (String name : List.of("WAKELINE_TLS_CERT_FILE", "WAKELINE_TLS_KEY_FILE")) {
            String file = env(broker, name).orElseThrow().getValue();
            var mount = mounts.stream().filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " " + file + " is on no mounted volume"));
            var volume = volumes.stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
            assertNotNull(volume.getSecret(), name + " is read from a Secret volume");
        }

        Pattern secretLooking = Pattern.compile(".*(SECRET|PASSWORD|TOKEN|_KEY)$");
        assertAll(ALL.stream().flatMap(m -> Workloads.containers(m).stream().map(c -> Map.entry(m, c)))
                .flatMap(mc -> Optional.ofNullable(mc.getValue().getEnv()).orElse(List.of()).stream()
                        .filter(e -> secretLooking.matcher(e.getName()).matches())
                        .map(e -> (Executable) () -> assertNull(e.getValue(), mc.getKey() + ": " + e.getName() + " as a literal value")))
                .toList());
    }

    @Test
    void prometheusScrapesTheMetricsRouteOnTheManagementPort() {
        Config node = nodeDefaults();
        Map<String, String> annotations = brokerDeployment().getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals(String.valueOf(containerPort(brokerContainer(), "management")), annotations.get("prometheus.io/port"));
        assertEquals("/metrics", annotations.get("prometheus.io/path"));
        assertEquals(MetricsRoute.class.getName(), node.getString("akka.management.http.routes.metrics"));
    }

    @Test
    void theMonitoringScrapeJobKeepsTheAnnotatedBrokerPodsAndTheDashboardIsLabelledForGrafana() throws IOException {
        Path monitoring = K8sTree.k8s().resolve("monitoring");
        ConfigMap scrape = (ConfigMap) K8sTree.manifests(monitoring.resolve("prometheus-scrape-config.yaml")).get(0).object();
        JsonNode job = new ObjectMapper(new YAMLFactory()).readTree(scrape.getData().get("wakeline-scrape.yml")).get(0);
        Deployment broker = brokerDeployment();
        assertEquals(broker.getMetadata().getNamespace(), job.at("/kubernetes_sd_configs/0/namespaces/names/0").asText());
        Map<String, String> keep = new java.util.HashMap<>();
        Set<String> relabelSources = new HashSet<>();
        for (JsonNode rule : job.get("relabel_configs")) {
            rule.get("source_labels").forEach(label -> relabelSources.add(label.asText()));
            if ("keep".equals(rule.path("action").asText())) {
                keep.put(rule.get("source_labels").get(0).asText(), rule.get("regex").asText());
            }
        }
        assertEquals(broker.getSpec().getTemplate().getMetadata().getLabels().get("app"),
                keep.get("__meta_kubernetes_pod_label_app"));
        assertEquals("true", keep.get("__meta_kubernetes_pod_annotation_prometheus_io_scrape"));
        assertTrue(relabelSources.containsAll(Set.of("__meta_kubernetes_pod_annotation_prometheus_io_port",
                "__meta_kubernetes_pod_annotation_prometheus_io_path")), relabelSources::toString);

        K8sTree.ConfigMapGenerator dashboard = K8sTree.kustomization(monitoring).generatorList().get(0);
        assertEquals(List.of("wakeline-dashboard.json"), dashboard.files());
        assertEquals("1", dashboard.options().labels().get("grafana_dashboard"));
        assertEquals(broker.getMetadata().getNamespace(), dashboard.namespace());
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static void collect(Pattern pattern, String text, Set<String> into) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            into.add(matcher.group(1));
        }
    }

    private static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(suffix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
