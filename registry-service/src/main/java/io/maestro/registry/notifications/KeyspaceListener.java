package io.maestro.registry.notifications;

/**
 * Receives what the keyspace subscription sees, on a Vert.x event loop: implementations must not block
 * (hand the work to their own thread or to a non-blocking Redis call).
 */
public interface KeyspaceListener {
    /** The subscription is (again) in place: anything may have changed while it was not. Reconcile. */
    default void onSubscribed() {
    }

    /** A change was appended to the log of {@code service} (an {@code xadd} event). */
    default void onLogAppended(String service) {
    }

    /** The key of an instance expired or was deleted ({@code expired} / {@code del} events). */
    default void onInstanceKeyGone(String service, String instanceId) {
    }
}
