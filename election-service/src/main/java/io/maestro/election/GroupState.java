package io.maestro.election;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A group as it stands: its leader, its live candidates (eldest first) and the holder of each declared key. */
public record GroupState(String group, Leader leader, List<Candidate> candidates, Map<String, KeyHolder> keys) {

    /** The leader; {@code handingOverTo}: the candidate of a higher priority it is handing the seat to, if any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Leader(String candidateId, long fencingToken, Instant since, String handingOverTo) {
    }

    /** A live candidate; {@code keys} are the keys it declared (it can serve), not those it holds. */
    public record Candidate(String candidateId, Instant joinedAt, Instant leaseExpiresAt, long ttlMillis,
                            JsonNode metadata, List<String> keys, int priority) {
    }

    /** The holder of a key; {@code handingOverTo} and {@code releaseAt} are set while a rebalance moves it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyHolder(String owner, Long fencingToken, Instant since, String handingOverTo, Instant releaseAt) {
    }
}
