package io.wakeline.broker.k8s;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.k8s.K8sTree.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Every file under k8s/ is a valid Kubernetes object (StrictKubernetesReader), and every kustomization
 * holds together: what it names exists, every file is used, every patch finds its target.
 */
class ManifestValidityTest {

    @TestFactory
    List<DynamicTest> everyManifestIsAKnownKubernetesObjectWithOnlyTheFieldsOfItsType() {
        List<Path> files = K8sTree.manifestFiles();
        assertFalse(files.isEmpty());
        return files.stream().map(file -> DynamicTest.dynamicTest(K8sTree.k8s().relativize(file).toString(), () -> {
            List<Manifest> manifests = K8sTree.manifests(file);
            assertFalse(manifests.isEmpty(), "no object in " + file);
        })).toList();
    }

    @Test
    void theExpectedLayoutIsThere() {
        Set<String> dirs = K8sTree.kustomizationDirs().stream()
                .map(dir -> K8sTree.k8s().relativize(dir).toString()).collect(Collectors.toSet());
        assertEquals(Set.of("base", "postgres", "schema", "simulator", "load-test", "overlays/local",
                "overlays/external-postgres", "monitoring"), dirs);
    }

    @Test
    void everyKustomizationNamesFilesAndDirectoriesThatExist() {
        List<Executable> checks = K8sTree.kustomizationDirs().stream().<Executable>map(dir -> () -> {
            K8sTree.Kustomization kustomization = K8sTree.kustomization(dir);
            assertEquals("kustomize.config.k8s.io/v1beta1", kustomization.apiVersion(), dir::toString);
            assertEquals("Kustomization", kustomization.kind(), dir::toString);
            for (String resource : kustomization.resourceList()) {
                Path path = dir.resolve(resource).normalize();
                assertTrue(Files.isRegularFile(path) || Files.isRegularFile(path.resolve(K8sTree.KUSTOMIZATION)),
                        dir + ": resource " + resource + " is neither a file nor a kustomization directory");
            }
            for (K8sTree.Patch patch : kustomization.patchList()) {
                assertTrue(Files.isRegularFile(dir.resolve(patch.path())), dir + ": patch " + patch.path() + " missing");
            }
            for (K8sTree.ConfigMapGenerator generator : kustomization.generatorList()) {
                for (String file : generator.files()) {
                    assertTrue(Files.isRegularFile(dir.resolve(file)), dir + ": generator file " + file + " missing");
                }
            }
        }).toList();
        assertAll(checks);
    }

    @Test
    void everyManifestFileIsUsedByTheKustomizationOfItsDirectory() {
        List<Executable> checks = K8sTree.manifestFiles().stream().<Executable>map(file -> () -> {
            Path dir = file.getParent();
            assertTrue(Files.isRegularFile(dir.resolve(K8sTree.KUSTOMIZATION)), "no kustomization.yaml beside " + file);
            K8sTree.Kustomization kustomization = K8sTree.kustomization(dir);
            Set<Path> used = new HashSet<>();
            kustomization.resourceList().forEach(resource -> used.add(dir.resolve(resource).normalize()));
            kustomization.patchList().forEach(patch -> used.add(dir.resolve(patch.path()).normalize()));
            assertTrue(used.contains(file.normalize()), file + " is not listed in " + dir.resolve(K8sTree.KUSTOMIZATION));
        }).toList();
        assertAll(checks);
    }

    @Test
    void everyPatchTargetsAnObjectItsKustomizationIncludes() {
        List<Executable> checks = K8sTree.kustomizationDirs().stream().<Executable>map(dir -> () -> {
            Set<String> included = K8sTree.resourcesOf(dir).stream()
                    .map(m -> m.kind() + "/" + m.object().getMetadata().getNamespace() + "/" + m.name())
                    .collect(Collectors.toSet());
            for (K8sTree.Patch patch : K8sTree.kustomization(dir).patchList()) {
                for (Manifest target : K8sTree.manifests(dir.resolve(patch.path()))) {
                    String key = target.kind() + "/" + target.object().getMetadata().getNamespace() + "/" + target.name();
                    assertTrue(included.contains(key), dir + ": patch " + patch.path() + " targets " + key
                            + ", which none of its resources define");
                }
            }
        }).toList();
        assertAll(checks);
    }

    @Test
    void everyObjectLivesInTheWakelineNamespace() {
        List<Executable> checks = K8sTree.all().stream()
                .filter(m -> !m.kind().equals("Namespace"))
                .<Executable>map(m -> () -> assertEquals("wakeline", m.object().getMetadata().getNamespace(), m::toString))
                .toList();
        assertAll(checks);
    }

    @Test
    void kustomizeImageOverridesNameTheImageTheWorkloadsUse() {
        Set<String> images = K8sTree.all().stream().flatMap(m -> Workloads.containers(m).stream())
                .map(container -> container.getImage()).collect(Collectors.toSet());
        List<Executable> checks = K8sTree.kustomizationDirs().stream()
                .flatMap(dir -> K8sTree.kustomization(dir).imageList().stream().map(image -> (Executable) () ->
                        assertTrue(images.contains(image.name()), dir + ": images entry " + image.name()
                                + " matches no container image " + images)))
                .toList();
        assertAll(checks);
    }
}
