package io.wakeline.broker.app;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventHandlerBuilder;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.wakeline.broker.CborSerializable;
import java.time.Clock;
import java.time.Duration;

/**
 * One registered app (package SID → hashed client secret), sharded and event-sourced.
 *
 * <p>The entity id is the package SID. Events carry only {@link SecretHash}es, never a clear secret;
 * {@link Verify} is the one message that carries a clear secret (to the entity, never journaled) and
 * its {@code toString} hides it. Apps change rarely, so there are no snapshots.
 */
public final class AppEntity
        extends EventSourcedBehaviorWithEnforcedReplies<AppEntity.Command, AppEntity.Event, AppEntity.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "App");

    /**
     * Starts sharding for apps. Entities run on the registry's hashing dispatcher: {@link Verify} spends
     * a PBKDF2 computation on the entity's thread and must not hold a default-dispatcher thread for it.
     */
    public static void init(ActorSystem<?> system) {
        var entity = Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId()))
                .withEntityProps(DispatcherSelector.fromConfig(AppRegistrySettings.HASHING_DISPATCHER));
        String role = system.settings().config().getString("wakeline.entity-role");
        ClusterSharding.get(system).init(role.isEmpty() ? entity : entity.withRole(role));
    }

    public static Behavior<Command> create(String packageSid) {
        return create(packageSid, Clock.systemUTC());
    }

    public static Behavior<Command> create(String packageSid, Clock clock) {
        return Behaviors.setup(ctx -> EventSourcedBehavior.start(new AppEntity(packageSid, clock), ctx));
    }

    private final String packageSid;
    private final Clock clock;

    private AppEntity(String packageSid, Clock clock) {
        super(PersistenceId.of(ENTITY_KEY.name(), packageSid),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
        this.packageSid = packageSid;
        this.clock = clock;
    }

    // ---- commands ----------------------------------------------------------------------------------

    public sealed interface Command extends CborSerializable {
    }

    /** Registers the app with an already hashed secret; an existing registration is left untouched. */
    public record Register(SecretHash secretHash, ActorRef<RegisterResult> replyTo) implements Command {
    }

    /** Replaces the secret of a registered app. */
    public record RotateSecret(SecretHash secretHash, ActorRef<RotateResult> replyTo) implements Command {
    }

    public record Remove(ActorRef<RemoveResult> replyTo) implements Command {
    }

    /** Checks a clear client secret against the stored hash (the token endpoint, wns-spec 1.5). */
    public record Verify(String clientSecret, ActorRef<VerifyResult> replyTo) implements Command {
        @Override
        public String toString() {
            return "Verify[clientSecret=<redacted>, replyTo=" + replyTo + "]";
        }
    }

    public record Get(ActorRef<AppLookup> replyTo) implements Command {
    }

    // ---- replies -----------------------------------------------------------------------------------

    public enum RegisterResult implements CborSerializable {
        REGISTERED,
        ALREADY_REGISTERED
    }

    public enum RotateResult implements CborSerializable {
        ROTATED,
        NOT_REGISTERED
    }

    public enum RemoveResult implements CborSerializable {
        REMOVED,
        NOT_REGISTERED
    }

    public enum VerifyResult implements CborSerializable {
        VERIFIED,
        SECRET_MISMATCH,
        NOT_REGISTERED
    }

    /** Answer to {@link Get}: what may be shown about an app (never its secret or hash). */
    public sealed interface AppLookup extends CborSerializable {
        record Found(String packageSid, long registeredAtMillis, long secretUpdatedAtMillis) implements AppLookup {
        }

        record NotFound(String packageSid) implements AppLookup {
        }
    }

    // ---- events ------------------------------------------------------------------------------------

    public sealed interface Event extends CborSerializable {
    }

    public record AppRegistered(String packageSid, SecretHash secretHash, long atMillis) implements Event {
    }

    public record SecretRotated(SecretHash secretHash, long atMillis) implements Event {
    }

    public record AppRemoved(long atMillis) implements Event {
    }

    // ---- state -------------------------------------------------------------------------------------

    public sealed interface State extends CborSerializable {
    }

    public record Unregistered() implements State {
    }

    public record Registered(String packageSid, SecretHash secretHash, long registeredAtMillis,
                             long secretUpdatedAtMillis) implements State {

        Registered withSecret(SecretHash newHash, long atMillis) {
            return new Registered(packageSid, newHash, registeredAtMillis, atMillis);
        }

        AppLookup.Found summary() {
            return new AppLookup.Found(packageSid, registeredAtMillis, secretUpdatedAtMillis);
        }
    }

    @Override
    public State emptyState() {
        return new Unregistered();
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return whenUnregistered().orElse(whenRegistered()).build();
    }

    private CommandHandlerWithReplyBuilderByState<Command, Event, Unregistered, State> whenUnregistered() {
        return newCommandHandlerWithReplyBuilder()
                .forStateType(Unregistered.class)
                .onCommand(Register.class, this::onRegister)
                .onCommand(RotateSecret.class, cmd -> Effect().reply(cmd.replyTo(), RotateResult.NOT_REGISTERED))
                .onCommand(Remove.class, cmd -> Effect().reply(cmd.replyTo(), RemoveResult.NOT_REGISTERED))
                .onCommand(Verify.class, cmd -> Effect().reply(cmd.replyTo(), VerifyResult.NOT_REGISTERED))
                .onCommand(Get.class, cmd -> Effect().reply(cmd.replyTo(), new AppLookup.NotFound(packageSid)));
    }

    private CommandHandlerWithReplyBuilderByState<Command, Event, Registered, State> whenRegistered() {
        return newCommandHandlerWithReplyBuilder()
                .forStateType(Registered.class)
                .onCommand(Register.class, cmd -> Effect().reply(cmd.replyTo(), RegisterResult.ALREADY_REGISTERED))
                .onCommand(RotateSecret.class, this::onRotateSecret)
                .onCommand(Remove.class, this::onRemove)
                .onCommand(Verify.class, this::onVerify)
                .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.summary()));
    }

    private ReplyEffect<Event, State> onRegister(Unregistered state, Register cmd) {
        return Effect().persist(new AppRegistered(packageSid, cmd.secretHash(), clock.millis()))
                .thenReply(cmd.replyTo(), s -> RegisterResult.REGISTERED);
    }

    private ReplyEffect<Event, State> onRotateSecret(Registered state, RotateSecret cmd) {
        return Effect().persist(new SecretRotated(cmd.secretHash(), clock.millis()))
                .thenReply(cmd.replyTo(), s -> RotateResult.ROTATED);
    }

    private ReplyEffect<Event, State> onRemove(Registered state, Remove cmd) {
        return Effect().persist(new AppRemoved(clock.millis()))
                .thenReply(cmd.replyTo(), s -> RemoveResult.REMOVED);
    }

    private ReplyEffect<Event, State> onVerify(Registered state, Verify cmd) {
        VerifyResult result = state.secretHash().matches(cmd.clientSecret())
                ? VerifyResult.VERIFIED
                : VerifyResult.SECRET_MISMATCH;
        return Effect().reply(cmd.replyTo(), result);
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        EventHandlerBuilder<State, Event> builder = newEventHandlerBuilder();
        builder.forStateType(Unregistered.class)
                .onEvent(AppRegistered.class, (state, e) ->
                        new Registered(e.packageSid(), e.secretHash(), e.atMillis(), e.atMillis()));
        builder.forStateType(Registered.class)
                .onEvent(SecretRotated.class, (state, e) -> state.withSecret(e.secretHash(), e.atMillis()))
                .onEvent(AppRemoved.class, (state, e) -> new Unregistered());
        return builder.build();
    }
}
