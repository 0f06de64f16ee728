package io.wakeline.broker.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.wakeline.broker.k8s.K8sTree.Manifest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pod templates inside Deployments, StatefulSets and Jobs (patches may leave parts out). */
final class Workloads {
    private Workloads() {
    }

    static Optional<PodTemplateSpec> podTemplate(Manifest manifest) {
        PodTemplateSpec template = null;
        if (manifest.object() instanceof Deployment deployment && deployment.getSpec() != null) {
            template = deployment.getSpec().getTemplate();
        } else if (manifest.object() instanceof StatefulSet statefulSet && statefulSet.getSpec() != null) {
            template = statefulSet.getSpec().getTemplate();
        } else if (manifest.object() instanceof Job job && job.getSpec() != null) {
            template = job.getSpec().getTemplate();
        }
        return Optional.ofNullable(template);
    }

    static List<Container> containers(Manifest manifest) {
        return podTemplate(manifest).filter(t -> t.getSpec() != null && t.getSpec().getContainers() != null)
                .map(t -> t.getSpec().getContainers()).orElse(List.of());
    }

    static Map<String, String> podLabels(Manifest manifest) {
        return podTemplate(manifest).filter(t -> t.getMetadata() != null && t.getMetadata().getLabels() != null)
                .map(t -> t.getMetadata().getLabels()).orElse(Map.of());
    }
}
