package io.wakeline.broker.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.protocol.v1.AppExecutionState;
import io.wakeline.protocol.v1.AppStateReport;
import io.wakeline.protocol.v1.ControlChannelOperation;
import io.wakeline.protocol.v1.ControlChannelRequest;
import io.wakeline.protocol.v1.ControlChannelResourceType;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.LockScreenConsent;
import io.wakeline.protocol.v1.LockScreenConsentAnswer;
import io.wakeline.protocol.v1.LockScreenRequest;
import io.wakeline.protocol.v1.ManifestBackgroundTask;
import io.wakeline.protocol.v1.Notification;
import io.wakeline.simulator.DeviceSimulator;
import io.wakeline.simulator.NotificationListener;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A simulated device's app gets a control channel as a Windows app would: lock screen, foreground, create. */
final class ControlChannelSetup {
    private ControlChannelSetup() {
    }

    /** Returns the channel's URI (under the public base URL of the node that hosts the device's entity). */
    static String create(DeviceSimulator simulator, String device, String appId, String channelId) throws Exception {
        simulator.request(device, Envelope.newBuilder().setLockScreenRequest(LockScreenRequest.newBuilder()
                .setRequestId(1).setAppId(appId).addDeclaredTasks(ManifestBackgroundTask.MANIFEST_CONTROL_CHANNEL)).build(),
                Envelope.BodyCase.LOCK_SCREEN_STATUS).get(10, TimeUnit.SECONDS);
        simulator.request(device, Envelope.newBuilder().setLockScreenConsent(LockScreenConsentAnswer.newBuilder()
                .setRequestId(2).setAppId(appId).setConsent(LockScreenConsent.CONSENT_ALLOW)).build(),
                Envelope.BodyCase.LOCK_SCREEN_STATUS).get(10, TimeUnit.SECONDS);
        simulator.send(device, Envelope.newBuilder().setAppStateReport(AppStateReport.newBuilder()
                .setAppId(appId).setState(AppExecutionState.FOREGROUND)).build());
        Envelope created = simulator.request(device, Envelope.newBuilder().setControlChannelRequest(ControlChannelRequest.newBuilder()
                .setRequestId(3).setAppId(appId).setChannelId(channelId).setServerKeepAliveMinutes(15)
                .setResourceType(ControlChannelResourceType.REQUEST_SOFTWARE_SLOT)
                .setOperation(ControlChannelOperation.CREATE)).build(), Envelope.BodyCase.CONTROL_CHANNEL_STATUS)
                .get(10, TimeUnit.SECONDS);
        String uri = created.getControlChannelStatus().getControlChannelUri();
        assertTrue(uri.contains("/cc/"), created::toString);
        return uri;
    }

    /** A listener that adds {@code "deviceId:payload"} of every control message the simulated devices process. */
    static NotificationListener collectingControlMessages(List<String> processed) {
        return new NotificationListener() {
            @Override
            public void onNotification(String deviceId, Notification notification) {
            }

            @Override
            public void onControlMessage(String deviceId, Notification notification) {
                processed.add(deviceId + ":" + notification.getPayload().toStringUtf8());
            }
        };
    }
}
