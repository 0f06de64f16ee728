package io.wakeline.broker.app;

import io.wakeline.broker.node.PersistenceBackend;

/** {@link AppRegistryTest} on the embedded H2 journal. */
class AppRegistryOnH2Test extends AppRegistryTest {
    AppRegistryOnH2Test() {
        super(PersistenceBackend.H2);
    }
}
