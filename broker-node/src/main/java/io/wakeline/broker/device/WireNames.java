package io.wakeline.broker.device;

/**
 * The wire form of the rejection enums in the entity's answers: the constant's name, and "" for {@code None}, which is
 * what those answers carried as plain strings before (and what the device's frames carry).
 */
final class WireNames {
    private WireNames() {
    }

    static String of(Enum<?> value) {
        return value.name().equals("None") ? "" : value.name();
    }

    static <E extends Enum<E>> E parse(Class<E> type, String wire) {
        return Enum.valueOf(type, wire.isEmpty() ? "None" : wire);
    }
}
