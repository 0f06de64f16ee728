package io.wakeline.broker.app;

import io.wakeline.broker.node.PersistenceBackend;

/** {@link AppRegistryTest} on a PostgreSQL journal (a database of its own, dropped afterwards). */
class AppRegistryOnPostgresTest extends AppRegistryTest {
    AppRegistryOnPostgresTest() {
        super(PersistenceBackend.POSTGRES);
    }
}
