package io.maestro.client.election;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What a candidate believes about its lease, leadership and keys, and nothing else: no threads, no I/O. The
 * {@link ElectionClient} feeds it the service's answers and asks it what holds now; its unit tests drive it with a
 * clock of their own. Not thread-safe: its owner guards it with one lock.
 *
 * <p>The safety rule lives here: the service is believed only up to the lease it granted, counted from when the
 * request was <em>sent</em> on the monotonic clock, less 1% for clock rates. Past that instant nothing is held,
 * whatever the last answer said.
 */
final class CandidateState {
    /** What the service answered to a join, heartbeat or key request (the fields the client reads). */
    record Answer(long leaseRemainingMillis, Long fencingToken, Map<String, Long> keys, List<String> releasing,
                  boolean releasingLeadership) {
        Answer {
            keys = Map.copyOf(keys);
            releasing = List.copyOf(releasing);
        }

        Answer(long leaseRemainingMillis, Long fencingToken, Map<String, Long> keys, List<String> releasing) {
            this(leaseRemainingMillis, fencingToken, keys, releasing, false);
        }
    }

    /** A change the listeners are told of, in the order {@link #changes()} gives them. */
    sealed interface Change {
        record LeadershipGained(Lease lease) implements Change { }
        record LeadershipLost() implements Change { }
        record KeyGained(String key, Lease lease) implements Change { }
        record KeyLost(String key) implements Change { }
    }

    private final LongSupplier clock;
    private final Set<String> desiredKeys;
    private String token;
    private boolean hasLease;
    private long deadlineNanos;
    private Long groupToken;
    private final Map<String, Long> keyTokens = new TreeMap<>();
    private final Set<String> releasing = new TreeSet<>();
    /** The service asked for the group's seat back (a candidate of a higher priority takes it). */
    private boolean releasingLeadership;
    private int groupTasks;
    private final Map<String, Integer> keyTasks = new HashMap<>();
    private boolean stopped;
    private Long toldGroup;
    private Map<String, Long> toldKeys = new TreeMap<>();

    CandidateState(Collection<String> desiredKeys, LongSupplier clock) {
        this.desiredKeys = new LinkedHashSet<>(desiredKeys);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // --- what holds now ------------------------------------------------------------------------------------------

    /** The group's fencing token while this candidate leads, else null. */
    Long groupToken() {
        return live() ? groupToken : null;
    }

    /** The fencing token of {@code key} while this candidate holds it, else null. */
    Long keyToken(String key) {
        Long t = keyTokens.get(key);
        return live() && t != null ? t : null;
    }

    Lease groupLease() {
        Long t = groupToken();
        return t == null ? null : new Lease(t, deadlineNanos);
    }

    Lease keyLease(String key) {
        Long t = keyToken(key);
        return t == null ? null : new Lease(t, deadlineNanos);
    }

    Set<String> heldKeys() {
        Set<String> held = new TreeSet<>();
        for (String key : keyTokens.keySet()) {
            if (keyToken(key) != null) {
                held.add(key);
            }
        }
        return held;
    }

    /** The lease deadline while one is held ({@link #hasLease()}), on the clock given. */
    long deadlineNanos() {
        return deadlineNanos;
    }

    boolean hasLease() {
        return hasLease;
    }

    /** The candidate's token, proof of its lease at the service; null before joining or once the lease is gone. */
    String token() {
        return token;
    }

    boolean stopped() {
        return stopped;
    }

    /** The keys to declare when joining. */
    List<String> desiredKeys() {
        return new ArrayList<>(desiredKeys);
    }

    private boolean live() {
        return !stopped && hasLease && clock.getAsLong() - deadlineNanos < 0;
    }

    // --- what the service answered -------------------------------------------------------------------------------

    /** A join answered with {@code token}; false (nothing taken in) when the candidate stopped meanwhile. */
    boolean joined(String joinedToken, Answer answer, long sentNanos) {
        if (stopped) {
            return false;
        }
        token = joinedToken;
        apply(answer, sentNanos);
        return true;
    }

    /**
     * A heartbeat or key request sent with {@code usedToken} was answered; an answer to a token since replaced (or
     * after stopping) changes nothing. Returns whether it was taken in.
     */
    boolean answered(String usedToken, Answer answer, long sentNanos) {
        if (!Objects.equals(token, usedToken) || stopped) {
            return false;
        }
        apply(answer, sentNanos);
        return true;
    }

    /** The service no longer knows the lease of {@code usedToken} (404/403): nothing is held, the next beat joins. */
    void leaseGone(String usedToken) {
        if (Objects.equals(token, usedToken)) {
            token = null;
            hasLease = false;
            groupToken = null;
            keyTokens.clear();
            releasing.clear();
            releasingLeadership = false;
        }
    }

    private void apply(Answer answer, long sentNanos) {
        long remaining = answer.leaseRemainingMillis();
        deadlineNanos = sentNanos + TimeUnit.MILLISECONDS.toNanos(remaining - remaining / 100);
        hasLease = true;
        groupToken = answer.fencingToken();
        keyTokens.clear();
        answer.keys().forEach((key, fencingToken) -> {
            if (desiredKeys.contains(key)) {
                keyTokens.put(key, fencingToken);
            }
        });
        releasing.clear();
        releasing.addAll(answer.releasing());
        releasingLeadership = answer.releasingLeadership();
    }

    /** Whether the service asked for the seat back and no task under it runs any more: confirmed with the next heartbeat. */
    boolean leadershipReleasable() {
        return releasingLeadership && groupTasks == 0;
    }

    /** Keys the service asked back whose tasks have all ended: confirmed with the next heartbeat. */
    List<String> releasable() {
        return releasing.stream().filter(k -> !keyTasks.containsKey(k)).toList();
    }

    // --- keys and tasks ------------------------------------------------------------------------------------------

    /** Declares {@code key}; false if it was declared already. */
    boolean addKey(String key) {
        return desiredKeys.add(key);
    }

    /** Withdraws {@code key}, no longer held from now on; false if it was not declared. */
    boolean removeKey(String key) {
        if (!desiredKeys.remove(key)) {
            return false;
        }
        keyTokens.remove(key);
        releasing.remove(key);
        return true;
    }

    /** Starts a task under the group's leadership: its lease, or null (nothing started) when not leading. */
    Lease startGroupTask() {
        Lease lease = groupLease();
        if (lease != null) {
            groupTasks++;
        }
        return lease;
    }

    /** Ends a task under the group's leadership; true when it was the last one and the service asked for the seat back. */
    boolean endGroupTask() {
        groupTasks--;
        return groupTasks == 0 && releasingLeadership;
    }

    /** Starts a task under {@code key}: its lease, or null (nothing started) when the key is not held. */
    Lease startKeyTask(String key) {
        Lease lease = keyLease(key);
        if (lease != null) {
            keyTasks.merge(key, 1, Integer::sum);
        }
        return lease;
    }

    /** Ends a task under {@code key}; true when it was the last one of a key the service asked back (confirm it now). */
    boolean endKeyTask(String key) {
        int left = keyTasks.merge(key, -1, Integer::sum);
        if (left <= 0) {
            keyTasks.remove(key);
        }
        return left <= 0 && releasing.contains(key);
    }

    boolean busy() {
        return groupTasks > 0 || !keyTasks.isEmpty();
    }

    boolean busy(String key) {
        return keyTasks.containsKey(key);
    }

    /** Stops for good (quit): nothing is held from now on. Returns the token to resign with, if any. */
    String stop() {
        stopped = true;
        String t = token;
        token = null;
        return t;
    }

    // --- what the listeners are told -----------------------------------------------------------------------------

    /**
     * What changed since the last call, in the order to tell it: leadership lost before gained (a new grant has a
     * new token, so it is both), then keys lost, then keys gained.
     */
    List<Change> changes() {
        Long nowGroup = groupToken();
        Map<String, Long> nowKeys = new TreeMap<>();
        for (String key : keyTokens.keySet()) {
            Long t = keyToken(key);
            if (t != null) {
                nowKeys.put(key, t);
            }
        }
        List<Change> changes = new ArrayList<>();
        if (!Objects.equals(nowGroup, toldGroup)) {
            if (toldGroup != null) {
                changes.add(new Change.LeadershipLost());
            }
            if (nowGroup != null) {
                changes.add(new Change.LeadershipGained(new Lease(nowGroup, deadlineNanos)));
            }
        }
        toldKeys.forEach((key, told) -> {
            if (!told.equals(nowKeys.get(key))) {
                changes.add(new Change.KeyLost(key));
            }
        });
        nowKeys.forEach((key, held) -> {
            if (!held.equals(toldKeys.get(key))) {
                changes.add(new Change.KeyGained(key, new Lease(held, deadlineNanos)));
            }
        });
        toldGroup = nowGroup;
        toldKeys = nowKeys;
        return changes;
    }
}
