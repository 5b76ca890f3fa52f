package io.maestro.support.testing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessCpuTest {

    @Test
    void theCpuTimeThisProcessSpendsShowsUpPerOperation() {
        ProcessCpu cpu = new ProcessCpu().follow("this program", ProcessHandle.current().pid());
        Map<String, Duration> before = cpu.snapshot();
        // busy until this thread alone has used 200 ms of CPU (by the JVM's own count), however busy the machine is
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long spinUntil = threads.getCurrentThreadCpuTime() + Duration.ofMillis(200).toNanos();
        long sink = 0;
        while (threads.getCurrentThreadCpuTime() < spinUntil) {
            sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
        }
        Map<String, Duration> after = cpu.snapshot();

        assertThat(sink).isNotNegative();
        assertThat(after.get("this program").minus(before.get("this program"))).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        assertThat(ProcessCpu.perOperation(before, after, 1000)).get().asString()
                .matches("this program \\d{3,} µs; total \\d{3,} µs per operation, at most [\\d,]+/s on \\d+ cores");
    }

    @Test
    void noOperationsGiveNoFigure() {
        Map<String, Duration> some = Map.of("service", Duration.ofSeconds(1));
        assertThat(ProcessCpu.perOperation(some, some, 0)).isEmpty();
    }
}
