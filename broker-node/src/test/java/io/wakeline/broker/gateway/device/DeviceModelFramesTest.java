package io.wakeline.broker.gateway.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.device.ControlChannelRejection;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.broker.device.LockScreenRejection;
import io.wakeline.broker.device.TriggerRejection;
import io.wakeline.broker.device.policy.BackgroundAccessStatus;
import io.wakeline.protocol.v1.ControlChannelStatus;
import io.wakeline.protocol.v1.ControlChannelTriggerStatus;
import org.junit.jupiter.api.Test;

/** The entity's answers as the device sees them: a rejection's name, "" for none (docs/protocol.md "Device model"). */
class DeviceModelFramesTest {
    private static final String APP = "ms-app://S-1-15-2-1";

    @Test
    void aLockScreenAnswerCarriesItsRejectionsName() {
        assertEquals("", DeviceModelFrames.lockScreenStatus(1, new DeviceEntity.LockScreenAnswer(APP,
                BackgroundAccessStatus.Unspecified, true, LockScreenRejection.None)).getLockScreenStatus().getRejection());
        assertEquals("NotOnLockScreen", DeviceModelFrames.lockScreenStatus(1, new DeviceEntity.LockScreenAnswer(APP,
                BackgroundAccessStatus.Denied, false, LockScreenRejection.NotOnLockScreen)).getLockScreenStatus().getRejection());
    }

    @Test
    void aControlChannelAnswerSaysWhatTheRequestDid() {
        ControlChannelStatus created = DeviceModelFrames.controlChannelStatus(2, DeviceEntity.ControlChannelAnswer.created(APP,
                "cc", io.wakeline.broker.device.policy.ControlChannelTriggerStatus.HardwareSlotAllocated, "https://x/cc"))
                .getControlChannelStatus();
        assertEquals(ControlChannelTriggerStatus.HARDWARE_SLOT_ALLOCATED, created.getStatus());
        assertFalse(created.getClosed());
        assertEquals("https://x/cc", created.getControlChannelUri());

        ControlChannelStatus closed = DeviceModelFrames.controlChannelStatus(3,
                DeviceEntity.ControlChannelAnswer.closed(APP, "cc")).getControlChannelStatus();
        assertTrue(closed.getClosed());
        assertEquals(0, closed.getStatusValue(), "no status set");
        assertEquals("", closed.getRejection());

        ControlChannelStatus unknown = DeviceModelFrames.controlChannelStatus(4, DeviceEntity.ControlChannelAnswer.rejected(APP,
                "cc", ControlChannelRejection.UnknownChannel)).getControlChannelStatus();
        assertFalse(unknown.getClosed());
        assertEquals("UnknownChannel", unknown.getRejection());
    }

    @Test
    void aTriggerAnswerIsAcceptedExactlyWhenNothingRefusedIt() {
        var accepted = DeviceModelFrames.triggerStatus(5, new DeviceEntity.TriggerAnswer(APP, TriggerRejection.None))
                .getTriggerRegistrationStatus();
        assertTrue(accepted.getAccepted());
        assertEquals("", accepted.getRejection());
        var refused = DeviceModelFrames.triggerStatus(6, new DeviceEntity.TriggerAnswer(APP,
                TriggerRejection.FreshnessBelowFifteenMinutes)).getTriggerRegistrationStatus();
        assertFalse(refused.getAccepted());
        assertEquals("FreshnessBelowFifteenMinutes", refused.getRejection());
    }
}
