package io.wakeline.broker.device.policy;

import static io.wakeline.broker.device.policy.ControlChannelTriggerResourceType.RequestHardwareSlot;
import static io.wakeline.broker.device.policy.ControlChannelTriggerResourceType.RequestSoftwareSlot;
import static io.wakeline.broker.device.policy.TestDevice.PUSH_ONLY;
import static io.wakeline.broker.device.policy.TestDevice.RTC_AND_TIMER;
import static io.wakeline.broker.device.policy.TestDevice.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import com.fasterxml.jackson.module.scala.DefaultScalaModule;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Events and state survive Jackson CBOR configured as {@code akka-serialization-jackson} configures it (parameter
 * names in PROPERTIES mode, field visibility ANY), only stricter: unknown properties fail.
 */
class DevicePolicySerializationTest {

    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory())
            .registerModule(new ParameterNamesModule(JsonCreator.Mode.PROPERTIES))
            .registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .registerModule(new DefaultScalaModule())
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static Object roundTrip(Object value, Class<?> type) throws IOException {
        return CBOR.readValue(CBOR.writeValueAsBytes(value), type);
    }

    /** A device that went through every kind of event. */
    private static TestDevice busyDevice() {
        TestDevice device = TestDevice.connectedStandbyCapable();
        device.powerSource(PowerSource.Mains);
        device.powerSource(PowerSource.Battery);
        device.allowOnLockScreen("mail", RTC_AND_TIMER);
        device.allowOnLockScreen("im", PUSH_ONLY);
        device.run(s -> device.policy.requestAccess(s, "pending", PUSH_ONLY));
        device.run(s -> device.policy.requestAccess(s, "refused", PUSH_ONLY));
        device.run(s -> device.policy.answerConsent(s, "refused", LockScreenConsent.DontAllow));
        device.registerPushTrigger("im");
        device.run(s -> device.policy.registerTimedTrigger(s, "mail", TriggerKind.TimeTrigger, 30));
        device.run(s -> device.policy.registerTrigger(s, "mail", TriggerKind.SystemTrigger));
        device.run(s -> device.policy.unregisterTrigger(s, "mail", TriggerKind.SystemTrigger));
        device.report("mail", AppExecutionState.Suspended);
        device.createChannel("mail", "hw", RequestHardwareSlot);
        device.createChannel("mail", "sw", RequestSoftwareSlot);
        device.createChannel("mail", "gone", RequestSoftwareSlot);
        device.run(s -> device.policy.closeControlChannel(s, "mail", "gone"));
        device.run(s -> device.policy.rawPush(s, "im", T0));
        device.completeTask("im", TriggerKind.PushNotificationTrigger, 3_000, 1_000, T0 + 1);
        device.run(s -> device.policy.rawPush(s, "im", T0 + 2));
        device.power(PowerState.ConnectedStandby, T0 + 3);
        device.power(PowerState.Active, T0 + 4);
        device.allowOnLockScreen("extra1", RTC_AND_TIMER);
        device.allowOnLockScreen("extra2", RTC_AND_TIMER);
        device.allowOnLockScreen("late", RTC_AND_TIMER);
        device.run(s -> device.policy.removeFromLockScreen(s, "extra1", LockScreenRemovalCause.RemovedByUser));
        device.run(s -> device.policy.requestAccess(s, "late", RTC_AND_TIMER));
        return device;
    }

    @Test
    void everyEventTypeIsCoveredByTheScenario() {
        Set<Class<?>> seen = busyDevice().journal.stream().map(Object::getClass).collect(Collectors.toSet());
        Set<Class<?>> all = new HashSet<>(Arrays.asList(DevicePolicyEvent.class.getPermittedSubclasses()));

        assertEquals(all, seen);
    }

    @Test
    void everyEventSurvivesARoundTripAsItsOwnClassAndAsTheInterface() throws IOException {
        for (DevicePolicyEvent event : busyDevice().journal) {
            assertEquals(event, roundTrip(event, event.getClass()), event.getClass().getSimpleName());
            assertEquals(event, roundTrip(event, DevicePolicyEvent.class), event.getClass().getSimpleName());
        }
    }

    @Test
    void stateSurvivesARoundTrip() throws IOException {
        DevicePolicyState state = busyDevice().state;

        assertEquals(state, roundTrip(state, DevicePolicyState.class));
    }

    @Test
    void deviceNotificationsSurviveARoundTrip() throws IOException {
        var reset = new DeviceNotification.ControlChannelReset("mail",
                ControlChannelTriggerResetReason.LowPowerExit, false, true);
        var raised = new DeviceNotification.SystemTriggerRaised("mail",
                SystemTriggerType.LockScreenApplicationAdded);

        assertEquals(reset, roundTrip(reset, DeviceNotification.ControlChannelReset.class));
        assertEquals(raised, roundTrip(raised, DeviceNotification.SystemTriggerRaised.class));
    }
}
