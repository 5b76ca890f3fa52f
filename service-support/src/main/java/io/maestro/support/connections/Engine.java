package io.maestro.support.connections;

/** A server a Maestro service connects to; {@link #key()} is the readiness data key that explains its state. */
public enum Engine {
    KAFKA("kafka", "Kafka"),
    REDIS("redis", "Redis"),
    POSTGRESQL("postgresql", "PostgreSQL");

    private final String key;
    private final String title;

    Engine(String key, String title) {
        this.key = key;
        this.title = title;
    }

    public String key() {
        return key;
    }

    public String title() {
        return title;
    }
}
