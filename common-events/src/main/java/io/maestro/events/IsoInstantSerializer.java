package io.maestro.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes an {@link Instant} exactly as {@link DateTimeFormatter#ISO_INSTANT} does (UTC, "Z", the fraction in groups of
 * three digits, none when zero), without the formatter's generic machinery: every registry event carries two times
 * per instance, so this is on the relay's and the watches' hottest path. Years outside 0000-9999 go to the formatter.
 */
final class IsoInstantSerializer extends StdSerializer<Instant> {
    private static final long YEAR_0 = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long YEAR_10000 = LocalDateTime.of(10000, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);

    IsoInstantSerializer() {
        super(Instant.class);
    }

    @Override
    public void serialize(Instant instant, JsonGenerator json, SerializerProvider provider) throws IOException {
        json.writeString(format(instant));
    }

    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < YEAR_0 || seconds >= YEAR_10000) {
            return DateTimeFormatter.ISO_INSTANT.format(instant);
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        char[] out = new char[30];
        int at = digits(out, 0, time.getYear(), 4);
        out[at++] = '-';
        at = digits(out, at, time.getMonthValue(), 2);
        out[at++] = '-';
        at = digits(out, at, time.getDayOfMonth(), 2);
        out[at++] = 'T';
        at = digits(out, at, time.getHour(), 2);
        out[at++] = ':';
        at = digits(out, at, time.getMinute(), 2);
        out[at++] = ':';
        at = digits(out, at, time.getSecond(), 2);
        int nanos = instant.getNano();
        if (nanos != 0) {
            out[at++] = '.';
            if (nanos % 1_000_000 == 0) {
                at = digits(out, at, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                at = digits(out, at, nanos / 1000, 6);
            } else {
                at = digits(out, at, nanos, 9);
            }
        }
        out[at++] = 'Z';
        return new String(out, 0, at);
    }

    /** Writes {@code value} zero-padded to {@code width} digits at {@code at}; returns the next position. */
    private static int digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
