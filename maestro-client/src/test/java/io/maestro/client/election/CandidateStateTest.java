package io.maestro.client.election;

import io.maestro.client.election.CandidateState.Answer;
import io.maestro.client.election.CandidateState.Change;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The candidate's lease, leadership and keys as a state machine, on a clock of the test's own: no server, no threads. */
class CandidateStateTest {
    private long now = 1_000_000_000L;
    private final CandidateState state = new CandidateState(List.of("tenant-1", "tenant-2"), () -> now);

    private static Answer leader(long token, long remainingMillis) {
        return new Answer(remainingMillis, token, Map.of(), List.of());
    }

    private static Answer follower(long remainingMillis, Map<String, Long> keys, List<String> releasing) {
        return new Answer(remainingMillis, null, keys, releasing);
    }

    private void advanceMillis(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void nothingIsHeldBeforeTheFirstAnswer() {
        assertThat(state.groupToken()).isNull();
        assertThat(state.heldKeys()).isEmpty();
        assertThat(state.token()).isNull();
        assertThat(state.changes()).isEmpty();
    }

    @Test
    void theLeaseIsCountedFromWhenTheRequestWasSentLessOnePercent() {
        long sent = now;
        advanceMillis(300); // the answer took 300 ms to come back
        state.joined("t1", leader(7, 2000), sent);

        assertThat(state.deadlineNanos()).isEqualTo(sent + TimeUnit.MILLISECONDS.toNanos(1980));
        advanceMillis(1679); // 1 ms before sent + 1980 ms
        assertThat(state.groupToken()).isEqualTo(7L);
        advanceMillis(1);
        assertThat(state.groupToken()).as("at the deadline the leadership is gone, whatever the service said").isNull();
    }

    @Test
    void leadershipRunsOutWithTheLeaseAndListenersAreToldOnce() {
        state.joined("t1", leader(7, 1000), now);
        assertThat(state.changes()).containsExactly(new Change.LeadershipGained(new Lease(7, state.deadlineNanos())));
        assertThat(state.changes()).isEmpty();

        advanceMillis(1000);
        assertThat(state.changes()).containsExactly(new Change.LeadershipLost());
        assertThat(state.changes()).isEmpty();
    }

    @Test
    void aHeartbeatExtendsTheLeaseFromWhenItWasSent() {
        state.joined("t1", leader(7, 1000), now);
        advanceMillis(500);
        state.answered("t1", leader(7, 1000), now);
        advanceMillis(900);
        assertThat(state.groupToken()).isEqualTo(7L);
        assertThat(state.changes()).containsExactly(new Change.LeadershipGained(new Lease(7, state.deadlineNanos())));
    }

    @Test
    void aNewGrantWithANewFencingTokenIsALossThenAGain() {
        state.joined("t1", leader(7, 1000), now);
        state.changes();
        state.answered("t1", leader(9, 1000), now);
        assertThat(state.changes()).containsExactly(new Change.LeadershipLost(),
                new Change.LeadershipGained(new Lease(9, state.deadlineNanos())));
    }

    @Test
    void anAnswerToAReplacedTokenChangesNothing() {
        state.joined("t2", follower(1000, Map.of(), List.of()), now);
        assertThat(state.answered("t1", leader(7, 1000), now)).isFalse();
        assertThat(state.groupToken()).isNull();
    }

    @Test
    void aLeaseTheServiceNoLongerKnowsLeavesNothingHeldAndTheNextBeatJoins() {
        state.joined("t1", new Answer(1000, 7L, Map.of("tenant-1", 3L), List.of()), now);
        state.changes();
        state.leaseGone("t1");
        assertThat(state.token()).isNull();
        assertThat(state.groupToken()).isNull();
        assertThat(state.heldKeys()).isEmpty();
        assertThat(state.changes()).containsExactly(new Change.LeadershipLost(), new Change.KeyLost("tenant-1"));
    }

    @Test
    void aLeaseGoneForAnOlderTokenKeepsTheCurrentOne() {
        state.joined("t2", leader(7, 1000), now);
        state.leaseGone("t1");
        assertThat(state.token()).isEqualTo("t2");
        assertThat(state.groupToken()).isEqualTo(7L);
    }

    @Test
    void onlyKeysThisCandidateDeclaredAreHeld() {
        state.joined("t1", follower(1000, Map.of("tenant-1", 3L, "tenant-9", 4L), List.of()), now);
        assertThat(state.heldKeys()).containsExactly("tenant-1");
        assertThat(state.keyLease("tenant-1")).isEqualTo(new Lease(3, state.deadlineNanos()));
        assertThat(state.keyToken("tenant-9")).isNull();
    }

    @Test
    void aWithdrawnKeyIsNoLongerHeldAtOnce() {
        state.joined("t1", follower(1000, Map.of("tenant-1", 3L, "tenant-2", 5L), List.of()), now);
        state.changes();
        assertThat(state.removeKey("tenant-1")).isTrue();
        assertThat(state.removeKey("tenant-1")).as("withdrawn once").isFalse();
        assertThat(state.heldKeys()).containsExactly("tenant-2");
        assertThat(state.changes()).containsExactly(new Change.KeyLost("tenant-1"));
        assertThat(state.desiredKeys()).containsExactly("tenant-2");
    }

    @Test
    void aKeyAskedBackIsConfirmedOnlyOnceItsLastTaskEnded() {
        state.joined("t1", follower(1000, Map.of("tenant-1", 3L), List.of()), now);
        Lease first = state.startKeyTask("tenant-1");
        Lease second = state.startKeyTask("tenant-1");
        assertThat(first).isNotNull().isEqualTo(second);

        // the service moves the key elsewhere: no longer held, but two tasks still run on it
        state.answered("t1", follower(1000, Map.of(), List.of("tenant-1")), now);
        assertThat(state.keyToken("tenant-1")).isNull();
        assertThat(state.startKeyTask("tenant-1")).as("no new task starts on a key asked back").isNull();
        assertThat(state.releasable()).isEmpty();

        assertThat(state.endKeyTask("tenant-1")).isFalse();
        assertThat(state.releasable()).isEmpty();
        assertThat(state.endKeyTask("tenant-1")).as("the last task ended: confirm now").isTrue();
        assertThat(state.releasable()).containsExactly("tenant-1");
        assertThat(state.busy()).isFalse();
    }

    @Test
    void aGroupTaskStartsOnlyWhileLeadingAndIsCounted() {
        assertThat(state.startGroupTask()).isNull();
        state.joined("t1", leader(7, 1000), now);
        assertThat(state.startGroupTask()).isEqualTo(new Lease(7, state.deadlineNanos()));
        assertThat(state.busy()).isTrue();
        state.endGroupTask();
        assertThat(state.busy()).isFalse();
    }

    @Test
    void aStoppedCandidateHoldsNothingAndTakesNoAnswerIn() {
        state.joined("t1", new Answer(1000, 7L, Map.of("tenant-1", 3L), List.of()), now);
        state.changes();
        assertThat(state.stop()).as("the token to resign with").isEqualTo("t1");
        assertThat(state.groupToken()).isNull();
        assertThat(state.heldKeys()).isEmpty();
        assertThat(state.changes()).containsExactly(new Change.LeadershipLost(), new Change.KeyLost("tenant-1"));
        assertThat(state.answered(null, leader(8, 1000), now)).isFalse();
        assertThat(state.joined("t3", leader(8, 1000), now)).as("a join answered after quitting is left at once").isFalse();
        assertThat(state.token()).isNull();
    }

    @Test
    void keysLostAreToldBeforeKeysGained() {
        state.joined("t1", follower(1000, Map.of("tenant-1", 3L), List.of()), now);
        state.changes();
        state.answered("t1", follower(1000, Map.of("tenant-2", 4L), List.of()), now);
        assertThat(state.changes()).containsExactly(new Change.KeyLost("tenant-1"),
                new Change.KeyGained("tenant-2", new Lease(4, state.deadlineNanos())));
    }
}
