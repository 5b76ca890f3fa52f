package io.maestro.provisioner.expiry;

import io.maestro.support.problem.ProblemException;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a cluster may live, as people write it: {@code 15s}, {@code 30m}, {@code 8h}, {@code 7d} or a sum such as
 * {@code 1h30m}. Parsed at the edge (REST and Kafka alike), so a malformed one is a 400 naming the field.
 */
public final class TimeToLive {
    public static final String REGEX = "([0-9]{1,9}[smhd])+";
    public static final String RULE = "a duration such as 15s, 30m, 8h, 7d or 1h30m (whole numbers with unit s, m, h or d)";
    private static final Pattern WHOLE = Pattern.compile(REGEX);
    private static final Pattern PART = Pattern.compile("([0-9]{1,9})([smhd])");

    private TimeToLive() {
    }

    /** The duration {@code text} stands for, between 1 s and {@code longest}; else a 400 naming {@code field}. */
    public static Duration parse(String text, String field, Duration longest) {
        if (text == null || text.length() > 64 || !WHOLE.matcher(text).matches()) {
            throw ProblemException.invalid(field, RULE);
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
            if (total.compareTo(longest) > 0) {
                break;
            }
        }
        if (total.isZero() || total.compareTo(longest) > 0) {
            throw ProblemException.invalid(field, "between 1s and " + format(longest));
        }
        return total;
    }

    /** {@code duration} in the same notation, largest units first ({@code 1h30m}); whole seconds. */
    public static String format(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        StringBuilder text = new StringBuilder();
        long[] sizes = {86_400, 3_600, 60, 1};
        String units = "dhms";
        for (int i = 0; i < sizes.length; i++) {
            if (seconds >= sizes[i]) {
                text.append(seconds / sizes[i]).append(units.charAt(i));
                seconds %= sizes[i];
            }
        }
        return text.isEmpty() ? "0s" : text.toString();
    }
}
