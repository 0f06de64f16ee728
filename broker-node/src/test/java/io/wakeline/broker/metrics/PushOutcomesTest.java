package io.wakeline.broker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wakeline.broker.device.DeviceConnectionStatus;
import io.wakeline.broker.device.PushOutcome;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PushOutcomesTest {

    @Test
    void everyPathOfTheAppGatewayHasItsOperation() {
        assertEquals(ApiOperation.WNS_SEND, ApiOperation.of("/w/abc"));
        assertEquals(ApiOperation.CONTROL_SEND, ApiOperation.of("/cc/abc"));
        assertEquals(ApiOperation.CONTROL_STATUS, ApiOperation.of("/cc/abc/messages/0123"));
        assertEquals(ApiOperation.WEBPUSH_SEND, ApiOperation.of("/wp/abc"));
        assertEquals(ApiOperation.WEBPUSH_MESSAGE, ApiOperation.of("/wp/m/abc"));
        assertEquals(ApiOperation.WEBPUSH_RECEIPTS, ApiOperation.of("/wp/r/abc"));
        assertEquals(ApiOperation.OAUTH_TOKEN, ApiOperation.of("/accesstoken.srf"));
        assertEquals(ApiOperation.EVENTS, ApiOperation.of("/events"));
        assertEquals(ApiOperation.ADMIN, ApiOperation.of("/admin/devices/d1"));
        assertEquals(ApiOperation.CONSOLE, ApiOperation.of("/console/"));
        assertEquals(ApiOperation.OTHER, ApiOperation.of("/"));
        assertEquals(ApiOperation.OTHER, ApiOperation.of("/cc/a/b"));
        assertEquals("other", ApiOperation.methodTag("PATCH"));
    }

    @Test
    void wnsPushesAreNamedByTypeAndOutcomeByXWnsStatus() {
        assertEquals(Optional.of("wns_raw"), PushOutcomes.path(ApiOperation.WNS_SEND, Optional.of("wns/raw")));
        assertEquals(Optional.of("wns_toast"), PushOutcomes.path(ApiOperation.WNS_SEND, Optional.of(" WNS/Toast ")));
        assertEquals(Optional.of("wns_invalid"), PushOutcomes.path(ApiOperation.WNS_SEND, Optional.of("text/evil-" + "x".repeat(99))));
        assertEquals(Optional.empty(), PushOutcomes.path(ApiOperation.ADMIN, Optional.empty()));
        assertEquals("received", PushOutcomes.outcome(ApiOperation.WNS_SEND, 200, Optional.of("received"), Optional.empty()));
        assertEquals("dropped", PushOutcomes.outcome(ApiOperation.WNS_SEND, 200, Optional.of("dropped"), Optional.empty()));
        assertEquals("throttled", PushOutcomes.outcome(ApiOperation.WNS_SEND, 406, Optional.of("channelthrottled"), Optional.empty()));
        assertEquals("gone", PushOutcomes.outcome(ApiOperation.WNS_SEND, 410, Optional.empty(), Optional.empty()));
    }

    @Test
    void controlSendsAreAcceptedDuplicateOrRefusedForTheirReason() {
        assertEquals("accepted", PushOutcomes.outcome(ApiOperation.CONTROL_SEND, 201, Optional.empty(), Optional.empty()));
        assertEquals("duplicate", PushOutcomes.outcome(ApiOperation.CONTROL_SEND, 200, Optional.empty(), Optional.empty()));
        assertEquals("backlog_full", PushOutcomes.outcome(ApiOperation.CONTROL_SEND, 429, Optional.empty(), Optional.of("backlog-full")));
        assertEquals("channel_closed", PushOutcomes.outcome(ApiOperation.CONTROL_SEND, 410, Optional.empty(), Optional.of("channel-closed")));
        assertEquals("throttled", PushOutcomes.outcome(ApiOperation.CONTROL_SEND, 429, Optional.empty(), Optional.empty()));
        assertEquals("invalid", PushOutcomes.outcome(ApiOperation.CONTROL_SEND, 400, Optional.empty(), Optional.of("made-up")));
        assertEquals("unavailable", PushOutcomes.outcome(ApiOperation.WEBPUSH_SEND, 503, Optional.empty(), Optional.empty()));
        assertEquals("error", PushOutcomes.outcome(ApiOperation.WEBPUSH_SEND, 500, Optional.empty(), Optional.empty()));
    }

    @Test
    void theEntitysAnswerIsNamedWithItsDropOrStoreReason() {
        assertEquals("dropped", MeasuredDeviceDirectory.outcome(
                new PushOutcome.Dropped(DeviceConnectionStatus.CONNECTED, PushOutcome.DropReason.DeviceAsleep)));
        assertEquals("device_asleep", MeasuredDeviceDirectory.reason(
                new PushOutcome.Dropped(DeviceConnectionStatus.CONNECTED, PushOutcome.DropReason.DeviceAsleep)));
        assertEquals("sandbox_quota_exhausted", MeasuredDeviceDirectory.reason(
                new PushOutcome.Dropped(DeviceConnectionStatus.CONNECTED, PushOutcome.DropReason.SandboxQuotaExhausted)));
        assertEquals("ttl_zero_offline", MeasuredDeviceDirectory.reason(
                new PushOutcome.Dropped(DeviceConnectionStatus.DISCONNECTED, PushOutcome.DropReason.TtlZeroOffline)));
        assertEquals("not_cached_offline", MeasuredDeviceDirectory.reason(
                new PushOutcome.Dropped(DeviceConnectionStatus.DISCONNECTED, PushOutcome.DropReason.NotCachedOffline)));
        assertEquals("batched", MeasuredDeviceDirectory.reason(
                new PushOutcome.Stored(DeviceConnectionStatus.CONNECTED, PushOutcome.StoreReason.BATCHED)));
        assertEquals("none", MeasuredDeviceDirectory.reason(new PushOutcome.Delivered(DeviceConnectionStatus.CONNECTED)));
        assertEquals("unknown_target", MeasuredDeviceDirectory.outcome(new PushOutcome.TargetUnknown()));
    }

    @Test
    void everyDropReasonHasItsOwnLabelValue() {
        var labels = java.util.Arrays.stream(PushOutcome.DropReason.values())
                .map(reason -> MeasuredDeviceDirectory.reason(new PushOutcome.Dropped(DeviceConnectionStatus.CONNECTED, reason)))
                .collect(java.util.stream.Collectors.toSet());
        assertEquals(PushOutcome.DropReason.values().length, labels.size());
    }
}
