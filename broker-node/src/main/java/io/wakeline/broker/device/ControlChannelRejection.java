package io.wakeline.broker.device;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wakeline.broker.device.policy.ChannelCreation.ChannelRejection;

/**
 * Why a control-channel request changed nothing ({@link DeviceEntity.ControlChannelAnswer}): where Windows throws
 * (wns-spec 7.2, 7.3), or a close of a channel the app does not have. Wire form, and the device's frame: the name,
 * "" for {@link #None}.
 */
public enum ControlChannelRejection {
    None, InvalidChannelId, ServerKeepAliveIntervalOutOfRange, NotOnLockScreen, DuplicateChannelId,
    /** A close of a channel the app does not have. */
    UnknownChannel;

    public static ControlChannelRejection of(ChannelRejection rejection) {
        return switch (rejection) {
            case InvalidChannelId -> InvalidChannelId;
            case ServerKeepAliveIntervalOutOfRange -> ServerKeepAliveIntervalOutOfRange;
            case NotOnLockScreen -> NotOnLockScreen;
            case DuplicateChannelId -> DuplicateChannelId;
        };
    }

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ControlChannelRejection ofWireName(String name) {
        return WireNames.parse(ControlChannelRejection.class, name);
    }
}
