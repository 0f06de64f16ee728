package io.wakeline.broker.device.link;

/**
 * Where a device entity's messages for links go. The device gateway implements it: it maps each message to its link
 * registry's wire commands (protobuf enums included) and sends them to the registry in the address, on whichever node
 * holds the link. Best effort, like the link itself.
 */
@FunctionalInterface
public interface DeviceLinks {

    void tell(LinkAddress link, LinkMessage message);
}
