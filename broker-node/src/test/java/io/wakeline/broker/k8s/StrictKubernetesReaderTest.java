package io.wakeline.broker.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The validator itself: it must refuse what the API server refuses, or the manifest checks prove nothing. */
class StrictKubernetesReaderTest {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: broker
              annotations:
                prometheus.io/scrape: "true"
            spec:
              replicas: 3
              selector:
                matchLabels: {app: broker}
              template:
                metadata:
                  labels: {app: broker}
                spec:
                  containers:
                    - name: broker
                      image: wakeline
                      ports:
                        - {name: https, containerPort: 8443}
                      resources:
                        limits: {memory: 2Gi}
            """;

    private static Object read(String yaml) throws Exception {
        List<com.fasterxml.jackson.databind.JsonNode> documents = StrictKubernetesReader.documents(yaml);
        assertEquals(1, documents.size());
        return StrictKubernetesReader.read(documents.get(0));
    }

    @Test
    void aWellFormedDeploymentBecomesItsTypedObject() throws Exception {
        Deployment deployment = (Deployment) read(DEPLOYMENT);
        assertEquals(3, deployment.getSpec().getReplicas());
        assertEquals("2Gi", deployment.getSpec().getTemplate().getSpec().getContainers().get(0)
                .getResources().getLimits().get("memory").toString());
    }

    @Test
    void aMisspelledFieldIsRefused() {
        assertThrows(Exception.class, () -> read(DEPLOYMENT.replace("containerPort:", "containerPorts:")));
        assertThrows(Exception.class, () -> read(DEPLOYMENT.replace("  replicas: 3", "  replica: 3")));
    }

    @Test
    void aScalarOfTheWrongTypeIsRefused() {
        assertThrows(Exception.class, () -> read(DEPLOYMENT.replace("replicas: 3", "replicas: \"3\"")));
        assertThrows(Exception.class, () -> read(DEPLOYMENT.replace("prometheus.io/scrape: \"true\"", "prometheus.io/scrape: true")));
        assertThrows(Exception.class, () -> read(DEPLOYMENT.replace("containerPort: 8443", "containerPort: https")));
    }

    @Test
    void anUnknownKindOrApiVersionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> read(DEPLOYMENT.replace("apiVersion: apps/v1", "apiVersion: apps/v1beta1")));
        assertThrows(IllegalArgumentException.class, () -> read(DEPLOYMENT.replace("kind: Deployment", "kind: Deploymnet")));
    }

    @Test
    void aDuplicateKeyIsRefused() {
        assertThrows(Exception.class, () -> read(DEPLOYMENT.replace("  replicas: 3", "  replicas: 3\n  replicas: 2")));
    }

    @Test
    void anObjectWithoutANameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> read(DEPLOYMENT.replace("  name: broker\n", "")));
    }
}
