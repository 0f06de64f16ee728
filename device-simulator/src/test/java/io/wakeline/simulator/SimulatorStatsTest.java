package io.wakeline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.protocol.v1.ControlChannelTriggerStatus;
import org.junit.jupiter.api.Test;

class SimulatorStatsTest {

    @Test
    void summaryLineLeavesTheModelOutWhileItIsOffAndQuiet() {
        String line = new SimulatorCounters(DeviceModelMode.OFF).snapshot(3).summaryLine();

        assertEquals("devices=3 connected=0 linked=0 handshakes=0 channels=0 received=0 acked=0 reconnects=0 goaways=0 errors=0",
                line);
        assertFalse(line.contains("model"));
    }

    @Test
    void summaryLineShowsTheModelCompactlyWhenItIsOn() {
        SimulatorCounters counters = new SimulatorCounters(DeviceModelMode.AUTOMATIC);
        counters.model(SimulatorCounters.Model.POWER_REPORTS);
        counters.model(SimulatorCounters.Model.LOCK_SCREEN_REQUESTS);
        counters.model(SimulatorCounters.Model.LOCK_SCREEN_GRANTS);
        counters.model(SimulatorCounters.Model.TASK_REQUESTS);
        counters.model(SimulatorCounters.Model.TASKS_DEFERRED);
        counters.controlChannelStatus(ControlChannelTriggerStatus.HARDWARE_SLOT_ALLOCATED);
        counters.controlChannelStatus(ControlChannelTriggerStatus.POLICY_ERROR);
        counters.model(SimulatorCounters.Model.CONTROL_CHANNEL_REJECTIONS);

        String line = counters.snapshot(1).summaryLine();

        assertTrue(line.endsWith(" | model power=1 apps=0 lock=1/1+0-/p0 consent=0/0 trig=0/0+0- cc=0{HW=1,POLICY=1,X=1}"
                + " tasks=1:0/1/0/0 ran=0 reports=0 sys=0 raw=fg:0/bg:0"), line);
    }
}
