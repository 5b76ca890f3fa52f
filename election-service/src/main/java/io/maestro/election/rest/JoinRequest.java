package io.maestro.election.rest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Body of {@code POST /v1/groups/{group}/candidates}.
 *
 * @param ttlMillis lease TTL (default 2000, at least 250); heartbeats should come every third of it
 * @param keys      keys the candidate can serve (msc {@code addKey}); each goes to one live candidate
 * @param metadata  any JSON object, at most 16 KiB, shown in the group's state
 * @param priority  0 to 1000 (default 0): the highest live priority leads, the eldest among equals; a candidate of a
 *                  higher priority than the leader takes the seat by a graceful handover
 */
public record JoinRequest(String candidateId, Long ttlMillis, List<String> keys, JsonNode metadata, Integer priority) {
}
