package io.wakeline.broker.device.shell;

import io.wakeline.broker.app.events.AppEventPublisher;
import io.wakeline.broker.device.PushEndpoints;
import io.wakeline.broker.device.link.DeviceLinks;
import java.time.InstantSource;

/**
 * What a device entity talks to besides its journal: the URIs it hands out, the apps' event logs, the device links,
 * and the clock every time it reads comes from (tests drive it; commands that carry a time use theirs).
 */
public record DeviceServices(PushEndpoints endpoints, AppEventPublisher appEvents, DeviceLinks links,
                             InstantSource clock) {
}
