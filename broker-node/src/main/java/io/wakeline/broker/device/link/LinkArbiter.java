package io.wakeline.broker.device.link;

import java.util.Optional;

/**
 * Which of the device's links its entity serves. Transient, like the link: lost on passivation or failover, and the
 * device attaches again when it reconnects. A newer link replaces the one before it; an attach that waited longer
 * than a newer link's (its link timed out waiting, and the device came back through another) never takes the device
 * back, it is told to go away instead. Times are the attaching node's clock.
 */
public final class LinkArbiter {
    private LinkAddress current;
    private long attachedAtMillis;

    /** What to do with an attach. */
    public sealed interface Decision {
        /** Serve this link; {@code replaced}, if any, must go away. */
        record Take(Optional<LinkAddress> replaced) implements Decision {
        }

        /** An older attach than the current link's: this link must go away, the current one stays. */
        record Stale(LinkAddress current) implements Decision {
        }
    }

    public Decision attach(LinkAddress link, long askedAtMillis) {
        boolean other = current != null && !current.equals(link);
        if (other && askedAtMillis < attachedAtMillis) {
            return new Decision.Stale(current);
        }
        Optional<LinkAddress> replaced = other ? Optional.of(current) : Optional.empty();
        current = link;
        attachedAtMillis = askedAtMillis;
        return new Decision.Take(replaced);
    }

    /** The link closed; false when it is not the one served (a newer link replaced it), which then stays. */
    public boolean detach(LinkAddress link) {
        if (!link.equals(current)) {
            return false;
        }
        current = null;
        return true;
    }

    public Optional<LinkAddress> current() {
        return Optional.ofNullable(current);
    }

    public boolean isUp() {
        return current != null;
    }
}
