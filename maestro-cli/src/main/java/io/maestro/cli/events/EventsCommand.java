package io.maestro.cli.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.cli.CliException;
import io.maestro.cli.KafkaProblems;
import io.maestro.cli.KafkaSettings;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.events.SuiteEvent;
import io.maestro.client.events.SuiteEvents;
import io.maestro.events.EventCodec;
import io.maestro.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

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
        // bootstrap.servers and, for a secured Kafka, security.protocol, sasl.*, ssl.*; partitions assigned: no consumer group
        Properties config = SuiteEvents.consumerConfig(kafka.settings());
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
        SuiteEvent event = SuiteEvent.of(record);
        if (output.json) {
            ObjectNode line = EventCodec.mapper().createObjectNode();
            line.put("topic", event.topic()).put("partition", event.partition()).put("offset", event.offset())
                    .put("key", event.key()).put("type", event.type()).set("value", event.value());
            if (event.deadLetterReason() != null) {
                line.put("deadLetterReason", event.deadLetterReason());
            }
            output.out().println(line.toString());
        } else {
            output.out().println(event.timestamp() + "  " + event.key() + "  " + event.summary());
        }
        output.out().flush();
    }
}
