package io.wakeline.broker.node;

/** {@link EndToEndTest} on a PostgreSQL journal (a database of its own, dropped afterwards). */
class EndToEndOnPostgresTest extends EndToEndTest {
    EndToEndOnPostgresTest() {
        super(PersistenceBackend.POSTGRES);
    }
}
