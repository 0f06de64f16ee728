package io.wakeline.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.app.AppEntity.AppLookup;
import io.wakeline.broker.app.AppEntity.AppRegistered;
import io.wakeline.broker.app.AppEntity.Command;
import io.wakeline.broker.app.AppEntity.Event;
import io.wakeline.broker.app.AppEntity.RegisterResult;
import io.wakeline.broker.app.AppEntity.RemoveResult;
import io.wakeline.broker.app.AppEntity.RotateResult;
import io.wakeline.broker.app.AppEntity.SecretRotated;
import io.wakeline.broker.app.AppEntity.State;
import io.wakeline.broker.app.AppEntity.VerifyResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AppEntityTest {
    private static final String SID = "ms-app://S-1-15-2-1111111111-2222222222";
    private static final String SECRET = "Vex8L9WOFZuj95euaLrvSH7XyoDhLJc7";
    private static final String OTHER_SECRET = "another-secret-entirely-0123456789";
    private static final int ITERATIONS = 1000;
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private static ActorTestKit testKit;
    private EventSourcedBehaviorTestKit<Command, Event, State> app;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("AppEntityTest", ConfigFactory.parseString("""
                akka.actor.serialization-bindings { "io.wakeline.broker.CborSerializable" = jackson-cbor }
                """).withFallback(EventSourcedBehaviorTestKit.config()).withFallback(ConfigFactory.load()));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void freshEntity() {
        // create(...) verifies that every command, event, reply and state survives jackson-cbor
        app = EventSourcedBehaviorTestKit.create(testKit.system(),
                AppEntity.create(SID, Clock.fixed(T0, ZoneOffset.UTC)));
        app.clear();
    }

    private CommandResultWithReply<Command, Event, State, RegisterResult> register(String secret) {
        return app.runCommand(replyTo -> new AppEntity.Register(SecretHash.of(secret, ITERATIONS), replyTo));
    }

    private VerifyResult verify(String secret) {
        return app.<VerifyResult>runCommand(replyTo -> new AppEntity.Verify(secret, replyTo)).reply();
    }

    @Test
    void registeringAnUnknownAppPersistsItsHashAndRegistersIt() {
        var result = register(SECRET);
        assertEquals(RegisterResult.REGISTERED, result.reply());
        AppRegistered event = result.eventOfType(AppRegistered.class);
        assertEquals(SID, event.packageSid());
        assertEquals(T0.toEpochMilli(), event.atMillis());
        assertTrue(event.secretHash().matches(SECRET));
        var registered = result.stateOfType(AppEntity.Registered.class);
        assertEquals(SID, registered.packageSid());
    }

    @Test
    void registeringTwiceKeepsTheFirstSecret() {
        register(SECRET);
        var again = register(OTHER_SECRET);
        assertEquals(RegisterResult.ALREADY_REGISTERED, again.reply());
        assertTrue(again.hasNoEvents());
        assertEquals(VerifyResult.VERIFIED, verify(SECRET));
        assertEquals(VerifyResult.SECRET_MISMATCH, verify(OTHER_SECRET));
    }

    @Test
    void verifyAcceptsOnlyTheRegisteredSecret() {
        assertEquals(VerifyResult.NOT_REGISTERED, verify(SECRET));
        register(SECRET);
        assertEquals(VerifyResult.VERIFIED, verify(SECRET));
        assertEquals(VerifyResult.SECRET_MISMATCH, verify(SECRET + "x"));
        assertEquals(VerifyResult.SECRET_MISMATCH, verify(""));
    }

    @Test
    void rotatingReplacesTheSecretAndRecordsWhen() {
        assertEquals(RotateResult.NOT_REGISTERED, app.<RotateResult>runCommand(
                replyTo -> new AppEntity.RotateSecret(SecretHash.of(OTHER_SECRET, ITERATIONS), replyTo)).reply());
        register(SECRET);
        var rotated = app.<RotateResult>runCommand(
                replyTo -> new AppEntity.RotateSecret(SecretHash.of(OTHER_SECRET, ITERATIONS), replyTo));
        assertEquals(RotateResult.ROTATED, rotated.reply());
        assertInstanceOf(SecretRotated.class, rotated.event());
        assertEquals(VerifyResult.SECRET_MISMATCH, verify(SECRET));
        assertEquals(VerifyResult.VERIFIED, verify(OTHER_SECRET));
    }

    @Test
    void removingForgetsTheAppAndAllowsANewRegistration() {
        assertEquals(RemoveResult.NOT_REGISTERED, app.<RemoveResult>runCommand(AppEntity.Remove::new).reply());
        register(SECRET);
        assertEquals(RemoveResult.REMOVED, app.<RemoveResult>runCommand(AppEntity.Remove::new).reply());
        assertEquals(VerifyResult.NOT_REGISTERED, verify(SECRET));
        assertInstanceOf(AppLookup.NotFound.class, app.<AppLookup>runCommand(AppEntity.Get::new).reply());
        assertEquals(RegisterResult.REGISTERED, register(OTHER_SECRET).reply());
        assertEquals(VerifyResult.VERIFIED, verify(OTHER_SECRET));
    }

    @Test
    void getShowsRegistrationDatesButNoSecret() {
        register(SECRET);
        AppLookup lookup = app.<AppLookup>runCommand(AppEntity.Get::new).reply();
        var found = assertInstanceOf(AppLookup.Found.class, lookup);
        assertEquals(new AppLookup.Found(SID, T0.toEpochMilli(), T0.toEpochMilli()), found);
    }

    @Test
    void stateIsRecoveredFromTheJournalAfterARestart() {
        register(SECRET);
        app.<RotateResult>runCommand(
                replyTo -> new AppEntity.RotateSecret(SecretHash.of(OTHER_SECRET, ITERATIONS), replyTo));
        app.restart();
        assertEquals(VerifyResult.VERIFIED, verify(OTHER_SECRET));
        assertEquals(VerifyResult.SECRET_MISMATCH, verify(SECRET));

        app.<RemoveResult>runCommand(AppEntity.Remove::new);
        app.restart();
        assertEquals(VerifyResult.NOT_REGISTERED, verify(OTHER_SECRET));
    }

    @Test
    void theClearSecretIsInNoJournaledEventNorInAnyToString() {
        register(SECRET);
        app.<RotateResult>runCommand(
                replyTo -> new AppEntity.RotateSecret(SecretHash.of(OTHER_SECRET, ITERATIONS), replyTo));
        Serialization serialization = SerializationExtension.get(testKit.system());
        var journal = app.persistenceTestKit().persistedInStorage("App|" + SID);
        assertEquals(2, journal.size());
        for (Object event : journal) {
            byte[] bytes = serialization.serialize(event).get();
            String asText = new String(bytes, StandardCharsets.ISO_8859_1);
            assertFalse(asText.contains(SECRET), "clear secret in serialized " + event.getClass().getSimpleName());
            assertFalse(asText.contains(OTHER_SECRET), "clear secret in serialized " + event.getClass().getSimpleName());
            assertFalse(event.toString().contains(SECRET));
            assertFalse(event.toString().contains(OTHER_SECRET));
        }
        assertFalse(app.getState().toString().contains(OTHER_SECRET));
        var probe = testKit.<VerifyResult>createTestProbe();
        assertFalse(new AppEntity.Verify(SECRET, probe.ref()).toString().contains(SECRET));
        assertFalse(new ConfiguredApp(SID, SECRET).toString().contains(SECRET));
    }
}
