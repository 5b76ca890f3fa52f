package io.maestro.client.election;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.client.http.ClientBuilder;
import io.maestro.client.http.ServiceHttp;
import io.maestro.events.LeadershipChanged;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * What the election service holds, read: a group's leader, its candidates and who holds each key. For a program that
 * looks rather than campaigns (the CLI, a dashboard); a unit campaigns with {@link ElectionClient}.
 */
public final class Election {
    private final ServiceHttp http;

    private Election(ServiceHttp http) {
        this.http = http;
    }

    /** A group as it stands: its leader (null when none), its live candidates eldest first, and each key's holder. */
    public record Group(String group, Leader leader, List<Candidate> candidates, Map<String, KeyHolder> keys) {
        public Group {
            candidates = candidates == null ? List.of() : List.copyOf(candidates);
            keys = keys == null ? Map.of() : Map.copyOf(keys);
        }
    }

    public record Leader(String candidateId, long fencingToken, Instant since) {
    }

    /** A live candidate; {@code keys} are those it declared it can serve, not those it holds. */
    public record Candidate(String candidateId, Instant joinedAt, Instant leaseExpiresAt, long ttlMillis, JsonNode metadata,
                            List<String> keys) {
    }

    /** Who holds a key; {@code handingOverTo} and {@code releaseAt} are set while a rebalance moves it. */
    public record KeyHolder(String owner, Long fencingToken, Instant since, String handingOverTo, Instant releaseAt) {
    }

    public static Builder builder(URI election) {
        return new Builder(List.of(election));
    }

    /** Several replicas of the election service: a call that cannot reach one goes to the next. */
    public static Builder builder(List<URI> elections) {
        if (elections.isEmpty()) {
            throw new IllegalArgumentException("at least one election URL is needed");
        }
        return new Builder(List.copyOf(elections));
    }

    /** Groups with a live candidate: their names in order, and whether more matched than the service gave. */
    public record Groups(List<String> groups, boolean truncated) {
        public Groups {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }
    }

    /** The groups that have a live candidate and whose name starts with {@code prefix} (null or empty: all), at most 1,000. */
    public Groups groups(String prefix) {
        return http.read(http.get("v1/groups" + (prefix == null || prefix.isEmpty() ? "" : "?prefix=" + ServiceHttp.segment(prefix))),
                Groups.class);
    }

    /** Group {@code group} as it stands (a group nobody joined has no leader, candidates nor keys). */
    public Group group(String group) {
        return http.read(http.get("v1/groups/" + ServiceHttp.segment(group)), Group.class);
    }

    /** Who leads group {@code group} now, or null while nobody does; asked without being a candidate. */
    public Leader leader(String group) {
        JsonNode leader = http.get("v1/groups/" + ServiceHttp.segment(group) + "/leader").path("leader");
        return leader.isObject() ? http.read(leader, Leader.class) : null;
    }

    /**
     * Observes who leads group {@code group} without campaigning (etcd's {@code Observe}, client-go's
     * {@code OnNewLeader}): {@code onLeader} is told the leader now, then each new one (null while nobody leads: also
     * between a resignation and the next election, which the service records as two changes), on the observer's own
     * thread, in order, each leadership once, until closed. After a broken stream the leader is read again, so a
     * change missed meanwhile is told too.
     */
    public AutoCloseable observe(String group, Consumer<Leader> onLeader) {
        AtomicReference<Object> told = new AtomicReference<>(new Object());
        Consumer<Leader> tell = leader -> {
            Object seen = leader == null ? "nobody" : leader.candidateId() + "#" + leader.fencingToken();
            if (!seen.equals(told.getAndSet(seen))) {
                onLeader.accept(leader);
            }
        };
        return new GroupEvents(http, group, null, "election-observer-" + group, () -> tell.accept(leader(group)), event -> {
            if (event.key() == null) { // the group's leadership, not a key's
                tell.accept(event.leader() == null ? null : new Leader(event.leader(), event.fencingToken(), event.occurredAt()));
            }
        }).start();
    }

    /**
     * Follows group {@code group}'s leadership changes from {@code after} (an event id; {@code "0-0"}: every one the
     * service still keeps; null: from now), telling each to {@code onEvent} in order on the watch's own thread,
     * until closed. A broken stream resumes after the last event seen, so none is lost.
     */
    public AutoCloseable watch(String group, String after, Consumer<LeadershipChanged> onEvent) {
        return new GroupEvents(http, group, after, "election-observer-" + group, () -> { }, onEvent).start();
    }

    public static final class Builder extends ClientBuilder<Builder> {
        private final List<URI> elections;
        private Duration requestTimeout = Duration.ofSeconds(10);

        private Builder(List<URI> elections) {
            this.elections = elections;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Election build() {
            return new Election(transport("election-service", elections, requestTimeout));
        }
    }
}
