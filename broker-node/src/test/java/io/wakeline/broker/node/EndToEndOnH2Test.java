package io.wakeline.broker.node;

/** {@link EndToEndTest} on the embedded H2 journal. */
class EndToEndOnH2Test extends EndToEndTest {
    EndToEndOnH2Test() {
        super(PersistenceBackend.H2);
    }
}
