package io.maestro.election.rest;

import io.maestro.election.CandidateLease;
import io.maestro.election.KeyLease;
import io.maestro.election.service.ElectionService;

import java.time.Instant;
import java.util.List;

/** Answer of a join; {@code token} goes in the {@code X-Maestro-Token} header of every later call of the candidate. */
public record JoinResponse(String candidateId, String token, long ttlMillis, boolean leader, Long fencingToken,
                           List<KeyLease> keys, List<String> releasing, long leaseRemainingMillis, Instant leaseExpiresAt) {

    static JoinResponse of(ElectionService.Joined joined) {
        CandidateLease lease = joined.lease();
        return new JoinResponse(joined.candidateId(), joined.token(), lease.ttlMillis(), lease.leader(), lease.fencingToken(),
                lease.keys(), lease.releasing(), lease.leaseRemainingMillis(), lease.leaseExpiresAt());
    }
}
