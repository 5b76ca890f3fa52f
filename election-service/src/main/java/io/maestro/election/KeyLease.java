package io.maestro.election;

/** A key a candidate holds, with the fencing token of its grant. */
public record KeyLease(String key, long fencingToken) {
}
