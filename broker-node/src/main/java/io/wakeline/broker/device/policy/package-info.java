/**
 * The Windows 8/8.1 client rules a device entity enforces, as a functional core without Akka: lock screen
 * ({@link io.wakeline.broker.device.policy.LockScreen}), control-channel slots
 * ({@link io.wakeline.broker.device.policy.ControlChannels}), app lifecycle and background-task registrations
 * ({@link io.wakeline.broker.device.policy.AppLifecycle}), sandbox quotas
 * ({@link io.wakeline.broker.device.policy.SandboxBudget}) and what may wake an app
 * ({@link io.wakeline.broker.device.policy.WakePolicy}), combined by
 * {@link io.wakeline.broker.device.policy.DevicePolicy} over one
 * {@link io.wakeline.broker.device.policy.DevicePolicyState}.
 *
 * <p>Every command returns a decision carrying its outcome, the
 * {@link io.wakeline.broker.device.policy.DevicePolicyEvent}s to persist and the
 * {@link io.wakeline.broker.device.policy.DeviceNotification}s to send once they are persisted. State changes only
 * through {@code DevicePolicyState.apply(event)}, which reads neither clock nor configuration, so recovery replays
 * the journal exactly. Rules cite wns-spec sections and seed 000 ("Staying connected in the background").
 */
package io.wakeline.broker.device.policy;
