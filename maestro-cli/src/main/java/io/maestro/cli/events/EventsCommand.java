package io.maestro.cli.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.cli.CliException;
import io.maestro.cli.Http;
import io.maestro.cli.KafkaProblems;
import io.maestro.cli.KafkaSettings;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.cli.election.WatchGroupCommand;
import io.maestro.cli.registry.WatchCommand;
import io.maestro.events.CloudEvents;
import io.maestro.events.EventCodec;
import io.maestro.events.EventType;
import io.maestro.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

@Command(name = "events", description = "Print a Maestro topic readably: the automation view of the suite.",
        footer = {"%nTopics: " + Topics.REGISTRY_CHANGES + ", " + Topics.ELECTION_LEADERSHIP + ", " + Topics.INVENTORY_MUTATIONS + ",",
                "        " + Topics.PROVISIONING_COMMANDS + ", " + Topics.PROVISIONING_EVENTS + ", and each with .dlq",
                "%nExamples:%n  maestro events maestro.registry.changes --from-beginning",
                "  maestro events maestro.election.leadership --json",
                "  maestro events maestro.inventory.mutations --kafka-config admin-kafka.properties"})
public class EventsCommand extends ServiceCall {
    @Parameters(paramLabel = "TOPIC", description = "a Maestro topic")
    String topic;

    @Option(names = "--from-beginning", description = "start with the oldest record instead of new ones")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "stop after N records")
    Integer max;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "stop after this long without a new record")
    Integer timeoutSeconds;

    @Mixin
    Output output;

    @Override
    public void run() {
        List<String> known = Stream.concat(Topics.ALL.stream(), Topics.ALL.stream().map(Topics::deadLetterOf)).toList();
        if (!known.contains(topic)) {
            throw new ParameterException(spec.commandLine(), "unknown topic '" + topic + "'; one of: " + String.join(", ", known));
        }
        KafkaSettings kafka = kafka();
        Properties config = new Properties();
        config.putAll(kafka.settings()); // bootstrap.servers and, for a secured Kafka, security.protocol, sasl.*, ssl.*
        config.remove(ConsumerConfig.GROUP_ID_CONFIG); // partitions assigned: no consumer group (none to be allowed)
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions;
            try {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            } catch (TimeoutException e) {
                throw new CliException("cannot reach " + kafka.describe() + " (" + kafka.hint() + ")");
            }
            if (partitions.isEmpty()) {
                throw new CliException("topic " + topic + " does not exist on " + kafka.describe()
                        + " (a service creates it on a plain Kafka; an administrator on a secured one)");
            }
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            int printed = 0;
            Instant lastRecord = Instant.now();
            while (max == null || printed < max) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> record : records) {
                    print(record);
                    lastRecord = Instant.now();
                    if (max != null && ++printed >= max) {
                        break;
                    }
                }
                if (timeoutSeconds != null && Duration.between(lastRecord, Instant.now()).toSeconds() >= timeoutSeconds) {
                    break;
                }
            }
        } catch (KafkaException e) {
            throw new CliException("cannot read " + topic + " (" + kafka.describe() + "): " + kafka.redact(KafkaProblems.message(e))
                    + " (" + kafka.hint() + ")");
        }
    }

    private void print(ConsumerRecord<String, String> record) {
        String type = header(record, CloudEvents.HEADER_TYPE);
        JsonNode value;
        try {
            value = Http.read(record.value());
        } catch (CliException notJson) {
            value = EventCodec.mapper().getNodeFactory().textNode(String.valueOf(record.value()));
        }
        if (output.json) {
            ObjectNode line = EventCodec.mapper().createObjectNode();
            line.put("topic", record.topic()).put("partition", record.partition()).put("offset", record.offset())
                    .put("key", record.key()).put("type", type).set("value", value);
            String reason = header(record, CloudEvents.HEADER_DLQ_REASON);
            if (reason != null) {
                line.put("deadLetterReason", reason);
            }
            output.out().println(line.toString());
        } else {
            output.out().println(Instant.ofEpochMilli(record.timestamp()) + "  " + record.key() + "  " + summary(type, value, record));
        }
        output.out().flush();
    }

    private static String summary(String type, JsonNode value, ConsumerRecord<String, String> record) {
        String reason = header(record, CloudEvents.HEADER_DLQ_REASON);
        if (reason != null) {
            return "DEAD LETTER (" + reason + "): " + value;
        }
        EventType eventType = type == null ? null : EventType.ofCeType(type).orElse(null);
        if (eventType == EventType.SERVICE_MEMBERSHIP_CHANGED) {
            return WatchCommand.line(value);
        }
        if (eventType == EventType.LEADERSHIP_CHANGED) {
            return WatchGroupCommand.line(value);
        }
        if (eventType == EventType.PROVISIONING_EVENT) {
            JsonNode node = value.path("node");
            String subject = node.isObject() ? node.path("tag").asText() + "-" + node.path("index").asText() + " " : "";
            String where = node.path("address").isTextual() ? " " + node.path("address").asText() + ":" + node.path("port").asText() : "";
            String message = value.path("message").isTextual() ? ": " + value.path("message").asText() : "";
            return "command " + value.path("commandId").asText() + " " + subject + value.path("type").asText() + where + message;
        }
        if (eventType == EventType.INVENTORY_MUTATION) {
            return value.path("entityName").asText() + " " + value.path("op").asText() + " (version " + value.path("version").asText() + ")";
        }
        String name = eventType == null ? "record" : eventType.recordClass().getSimpleName();
        return name + " " + value;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
