package io.maestro.provisioner.driver;

/** A node the service asks a driver about: its index in the group and, once known, the provider's id. */
public record NodeSlot(int index, String providerId) {
}
