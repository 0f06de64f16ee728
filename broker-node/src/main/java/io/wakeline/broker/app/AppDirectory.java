package io.wakeline.broker.app;

import java.util.concurrent.CompletionStage;

/** Which apps (package SIDs) are registered with this broker; the device side asks before issuing channels. */
public interface AppDirectory {

    CompletionStage<Boolean> isRegistered(String packageSid);
}
