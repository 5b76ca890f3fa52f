package io.maestro.events;

/**
 * CloudEvents 1.0 attributes carried as Kafka headers (binary content mode), and the
 * dead-letter headers written next to a poison record.
 */
public final class CloudEvents {
    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE_JSON = "application/json";

    public static final String HEADER_SPEC_VERSION = "ce_specversion";
    public static final String HEADER_ID = "ce_id";
    public static final String HEADER_TYPE = "ce_type";
    public static final String HEADER_SOURCE = "ce_source";
    public static final String HEADER_TIME = "ce_time";
    public static final String HEADER_SUBJECT = "ce_subject";
    public static final String HEADER_CONTENT_TYPE = "content-type";

    /** Why a record was sent to {@code <topic>.dlq}: a one-line human-readable reason. */
    public static final String HEADER_DLQ_REASON = "dead-letter-reason";
    /** The topic, partition and offset the poison record came from. */
    public static final String HEADER_DLQ_TOPIC = "dead-letter-topic";
    public static final String HEADER_DLQ_PARTITION = "dead-letter-partition";
    public static final String HEADER_DLQ_OFFSET = "dead-letter-offset";

    private CloudEvents() {
    }
}
