package io.maestro.provisioner.expiry;

import io.maestro.support.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeToLiveTest {
    private static final Duration MONTH = Duration.ofDays(30);

    @Test
    void unitsAddUpAndFormatBackLargestFirst() {
        assertThat(TimeToLive.parse("15s", "ttl", MONTH)).isEqualTo(Duration.ofSeconds(15));
        assertThat(TimeToLive.parse("8h", "ttl", MONTH)).isEqualTo(Duration.ofHours(8));
        assertThat(TimeToLive.parse("1h30m", "ttl", MONTH)).isEqualTo(Duration.ofMinutes(90));
        assertThat(TimeToLive.parse("90m", "ttl", MONTH)).isEqualTo(Duration.ofMinutes(90));
        assertThat(TimeToLive.parse("30d", "ttl", MONTH)).isEqualTo(MONTH);
        assertThat(TimeToLive.format(Duration.ofSeconds(5_405))).isEqualTo("1h30m5s");
        assertThat(TimeToLive.format(Duration.ofDays(2))).isEqualTo("2d");
        assertThat(TimeToLive.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void anythingElseIsA400NamingTheFieldAndTheRule() {
        for (String bad : new String[] {"", "15", "15x", "1.5h", "-1h", "1h 30m", "P1D", "0s", "0h0m"}) {
            assertThatThrownBy(() -> TimeToLive.parse(bad, "ttl", MONTH)).as(bad).isInstanceOf(ProblemException.class)
                    .hasMessageStartingWith("ttl");
        }
        assertThatThrownBy(() -> TimeToLive.parse("31d", "ttl", MONTH)).hasMessageContaining("between 1s and 30d");
        assertThatThrownBy(() -> TimeToLive.parse("999999999d999999999d999999999d", "ttl", MONTH)).hasMessageContaining("between 1s and 30d");
    }
}
