package io.maestro.election.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.election.CandidateLease;
import io.maestro.election.GroupState;
import io.maestro.election.config.ElectionConfig;
import io.maestro.election.store.ElectionStore;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;
import io.maestro.support.redis.SecretTokens;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks what callers send (400 naming the field), issues candidate tokens, and runs the transitions. Each transition
 * gets the {@code actor}: the subject of the bearer token of the request, named by the events it causes.
 */
@ApplicationScoped
public class ElectionService {
    public static final String TOKEN_HEADER = "X-Maestro-Token";

    /** A join's answer: the lease plus the token that every later call of the candidate must carry. */
    public record Joined(String candidateId, String token, CandidateLease lease) {
    }

    private final ElectionStore store;
    private final ElectionConfig config;
    private final ObjectMapper json;

    public ElectionService(ElectionStore store, ElectionConfig config, ObjectMapper json) {
        this.store = store;
        this.config = config;
        this.json = json;
    }

    public static final int MAX_PRIORITY = 1000;

    public Uni<Joined> join(String group, String candidateId, Long ttlMillis, List<String> keys, JsonNode metadata, Integer priority,
                            String actor) {
        Names.require(group, "group");
        Names.require(candidateId, "candidateId");
        long ttl = ttl(ttlMillis);
        int rank = priority == null ? 0 : priority;
        if (rank < 0 || rank > MAX_PRIORITY) {
            throw ProblemException.invalid("priority", "must be between 0 and " + MAX_PRIORITY);
        }
        List<String> declared = keys(keys);
        String meta = metadata(metadata);
        String token = SecretTokens.newToken();
        return store.join(group, candidateId, SecretTokens.hash(token), ttl, meta, rank, declared, actor)
                .map(lease -> new Joined(candidateId, token, lease));
    }

    public Uni<CandidateLease> heartbeat(String group, String candidateId, String token, List<String> releasedKeys,
                                         boolean releasedLeadership, String actor) {
        requireCandidate(group, candidateId);
        String hash = tokenHash(token);
        List<String> released = new ArrayList<>();
        if (releasedKeys != null) {
            for (int i = 0; i < releasedKeys.size(); i++) {
                released.add(Names.require(releasedKeys.get(i), "releasedKeys[" + i + "]"));
            }
        }
        return store.heartbeat(group, candidateId, hash, released, releasedLeadership, actor);
    }

    public Uni<Void> resign(String group, String candidateId, String token, String actor) {
        requireCandidate(group, candidateId);
        return store.resign(group, candidateId, tokenHash(token), actor);
    }

    public Uni<CandidateLease> addKey(String group, String candidateId, String key, String token, String actor) {
        requireCandidate(group, candidateId);
        Names.require(key, "key");
        return store.addKey(group, candidateId, tokenHash(token), key, config.limits().maxKeysPerCandidate(), actor);
    }

    public Uni<CandidateLease> removeKey(String group, String candidateId, String key, String token, String actor) {
        requireCandidate(group, candidateId);
        Names.require(key, "key");
        return store.removeKey(group, candidateId, tokenHash(token), key, actor);
    }

    /** Groups with a live candidate whose name starts with {@code prefix} (null: any), by name, at most {@code limit}. */
    public Uni<GroupList> groups(String prefix, int limit) {
        return store.groups().map(names -> {
            List<String> matching = names.stream().filter(name -> prefix == null || name.startsWith(prefix)).toList();
            return new GroupList(matching.subList(0, Math.min(limit, matching.size())), matching.size() > limit);
        });
    }

    /** Group names, and whether more matched than were given. */
    public record GroupList(List<String> groups, boolean truncated) {
    }

    public Uni<GroupState> group(String group) {
        Names.require(group, "group");
        return store.group(group);
    }

    private static void requireCandidate(String group, String candidateId) {
        Names.require(group, "group");
        Names.require(candidateId, "candidateId");
    }

    private static String tokenHash(String token) {
        if (token == null || token.isBlank()) {
            throw ProblemException.forbidden(TOKEN_HEADER + " is required: the token the join answered");
        }
        return SecretTokens.hash(token);
    }

    private long ttl(Long ttlMillis) {
        long min = config.lease().minTtl().toMillis();
        long max = config.lease().maxTtl().toMillis();
        if (ttlMillis == null) {
            return config.lease().defaultTtl().toMillis();
        }
        if (ttlMillis < min || ttlMillis > max) {
            throw ProblemException.invalid("ttlMillis", "must be between " + min + " and " + max);
        }
        return ttlMillis;
    }

    private List<String> keys(List<String> keys) {
        if (keys == null) {
            return List.of();
        }
        int max = config.limits().maxKeysPerCandidate();
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            distinct.add(Names.require(keys.get(i), "keys[" + i + "]"));
        }
        if (distinct.size() > max) {
            throw ProblemException.invalid("keys", "at most " + max + " keys per candidate");
        }
        return List.copyOf(distinct);
    }

    private String metadata(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return "{}";
        }
        if (!metadata.isObject()) {
            throw ProblemException.invalid("metadata", "must be a JSON object");
        }
        try {
            String text = json.writeValueAsString(metadata);
            int max = config.limits().maxMetadataBytes();
            if (text.getBytes(StandardCharsets.UTF_8).length > max) {
                throw ProblemException.invalid("metadata", "at most " + max + " bytes of JSON");
            }
            return text;
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid("metadata", "must be a JSON object");
        }
    }
}
