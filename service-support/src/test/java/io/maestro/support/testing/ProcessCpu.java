package io.maestro.support.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * For the benchmark programs: the CPU time each process of a run (the service, the local stack's servers, the
 * program itself) used between two points, per operation. On a machine where everything shares the cores, the sum
 * says what rate the machine can carry at best, and which process to make cheaper first.
 */
public final class ProcessCpu {
    private final Map<String, ProcessHandle> processes = new LinkedHashMap<>();

    /** Follows the process {@code pid} as {@code name} (figures are printed in the order processes are added). */
    public ProcessCpu follow(String name, long pid) {
        ProcessHandle.of(pid).ifPresent(process -> processes.put(name, process));
        return this;
    }

    /** The CPU time used so far by each process whose figure the system gives. */
    public Map<String, Duration> snapshot() {
        Map<String, Duration> used = new LinkedHashMap<>();
        processes.forEach((name, process) -> process.info().totalCpuDuration().ifPresent(cpu -> used.put(name, cpu)));
        return used;
    }

    /**
     * "name N µs, ...; total N µs per operation, at most N/s on C cores" for the CPU used between {@code before}
     * and {@code after} over {@code operations}; empty when the system gives no figures or nothing was done.
     */
    public static Optional<String> perOperation(Map<String, Duration> before, Map<String, Duration> after, long operations) {
        if (operations <= 0 || after.isEmpty()) {
            return Optional.empty();
        }
        StringJoiner each = new StringJoiner(", ");
        long total = 0;
        for (Map.Entry<String, Duration> end : after.entrySet()) {
            Duration start = before.get(end.getKey());
            if (start == null) {
                continue;
            }
            long micros = end.getValue().minus(start).toNanos() / 1000 / operations;
            total += micros;
            each.add(end.getKey() + " " + micros + " µs");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        String ceiling = total > 0 ? String.format(", at most %,d/s on %d cores", cores * 1_000_000L / total, cores) : "";
        return Optional.of(each + "; total " + total + " µs per operation" + ceiling);
    }
}
