package io.maestro.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class IsoInstantSerializerTest {

    @Test
    void writesWhatIsoInstantWritesForEveryPrecision() {
        SplittableRandom random = new SplittableRandom(42);
        long from = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(from, to + 1);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(IsoInstantSerializer.format(instant)).as("%s", instant).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant));
        }
    }

    @Test
    void edgesAndYearsBeyondFourDigitsMatchToo() {
        for (Instant instant : new Instant[] {Instant.EPOCH, Instant.ofEpochMilli(-1), Instant.ofEpochSecond(-1, 999_999_999),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z"), Instant.MIN, Instant.MAX,
                Instant.parse("2024-02-29T12:00:00.100Z"), Instant.parse("2026-12-01T06:00:00.000001Z")}) {
            assertThat(IsoInstantSerializer.format(instant)).as("%s", instant).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant));
        }
    }

    @Test
    void eventsCarryTheirTimesInThatForm() {
        String json = EventCodec.encodeToString(new Stamp(Instant.parse("2026-12-01T06:00:00.120Z")));

        assertThat(json).isEqualTo("{\"at\":\"2026-12-01T06:00:00.120Z\"}");
        assertThat(EventCodec.decode(json, Stamp.class).at()).isEqualTo(Instant.parse("2026-12-01T06:00:00.120Z"));
    }

    record Stamp(Instant at) {
    }
}
