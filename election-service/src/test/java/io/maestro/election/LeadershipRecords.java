package io.maestro.election;

import io.maestro.events.EventCodec;
import io.maestro.events.LeadershipChanged;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;

import java.util.ArrayList;
import java.util.List;

/** The leadership events a Kafka consumer task received for one group, in the order received. */
public final class LeadershipRecords {
    private LeadershipRecords() {
    }

    public static List<LeadershipChanged> of(ConsumerTask<String, String> task, String group) {
        List<LeadershipChanged> found = new ArrayList<>();
        task.getRecords().forEach(r -> {
            if (group.equals(r.key())) {
                found.add(EventCodec.decode(r.value(), LeadershipChanged.class));
            }
        });
        return found;
    }
}
