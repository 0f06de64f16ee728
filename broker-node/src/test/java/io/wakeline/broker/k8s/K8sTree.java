package io.wakeline.broker.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The manifests under k8s/ as files: every YAML file with its typed objects, and what each
 * kustomization.yaml pulls in (its resources, recursively; patches are not applied, kubectl is not
 * needed).
 */
final class K8sTree {
    static final String KUSTOMIZATION = "kustomization.yaml";

    /** One object of one file. */
    record Manifest(Path file, JsonNode tree, HasMetadata object) {
        String kind() {
            return object.getKind();
        }

        String name() {
            return object.getMetadata().getName();
        }

        @Override
        public String toString() {
            return kind() + "/" + name() + " (" + root().relativize(file) + ")";
        }
    }

    /** The fields of kustomization.yaml these manifests use; any other field fails the strict read. */
    record Kustomization(String apiVersion, String kind, List<String> resources, List<Patch> patches, List<Image> images,
                         List<ConfigMapGenerator> configMapGenerator) {
        List<String> resourceList() {
            return resources == null ? List.of() : resources;
        }

        List<Patch> patchList() {
            return patches == null ? List.of() : patches;
        }

        List<Image> imageList() {
            return images == null ? List.of() : images;
        }

        List<ConfigMapGenerator> generatorList() {
            return configMapGenerator == null ? List.of() : configMapGenerator;
        }
    }

    /** A ConfigMap made from files beside the kustomization (the Grafana dashboard). */
    record ConfigMapGenerator(String name, String namespace, List<String> files, GeneratorOptions options) {
    }

    record GeneratorOptions(Boolean disableNameSuffixHash, java.util.Map<String, String> labels) {
    }

    record Patch(String path) {
    }

    record Image(String name, String newName, String newTag) {
    }

    private K8sTree() {
    }

    /** The repository root: set by surefire (wakeline.repo-root), else the parent of the module directory. */
    static Path root() {
        String configured = System.getProperty("wakeline.repo-root");
        Path root = (configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent()).normalize();
        if (!Files.isDirectory(root.resolve("k8s"))) {
            throw new IllegalStateException("no k8s/ under " + root);
        }
        return root;
    }

    static Path k8s() {
        return root().resolve("k8s");
    }

    /** Every YAML file under k8s/ other than the kustomizations. */
    static List<Path> manifestFiles() {
        return walk().filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
                .filter(file -> !file.getFileName().toString().equals(KUSTOMIZATION))
                .toList();
    }

    static List<Path> kustomizationDirs() {
        return walk().filter(file -> file.getFileName().toString().equals(KUSTOMIZATION)).map(Path::getParent).toList();
    }

    static Kustomization kustomization(Path dir) {
        try {
            List<JsonNode> documents = StrictKubernetesReader.documents(Files.readString(dir.resolve(KUSTOMIZATION)));
            if (documents.size() != 1) {
                throw new IllegalArgumentException(dir + "/" + KUSTOMIZATION + " must hold one document");
            }
            return StrictKubernetesReader.readStrict(documents.get(0), Kustomization.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Manifest> manifests(Path file) {
        try {
            List<Manifest> manifests = new ArrayList<>();
            for (JsonNode document : StrictKubernetesReader.documents(Files.readString(file))) {
                manifests.add(new Manifest(file, document, StrictKubernetesReader.read(document)));
            }
            return manifests;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Manifest> all() {
        return manifestFiles().stream().flatMap(file -> manifests(file).stream()).toList();
    }

    /** The objects a kustomization's resources amount to, before patches. */
    static List<Manifest> resourcesOf(Path dir) {
        List<Manifest> objects = new ArrayList<>();
        for (String resource : kustomization(dir).resourceList()) {
            Path path = dir.resolve(resource).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(resourcesOf(path));
            } else {
                objects.addAll(manifests(path));
            }
        }
        return objects;
    }

    private static Stream<Path> walk() {
        try (Stream<Path> files = Files.walk(k8s())) {
            return files.filter(Files::isRegularFile).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
