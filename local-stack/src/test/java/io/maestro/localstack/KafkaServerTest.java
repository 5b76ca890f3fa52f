package io.maestro.localstack;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaServerTest {

    @Test
    void aTestStacksBrokerStartsQuicklyOnC1Only() {
        KafkaServer kafka = LocalStack.onFreePorts(Path.of("target", "unused-stack")).kafka();

        assertThat(kafka.jvmOptions()).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    }

    @Test
    void aBenchmarkStacksBrokerRunsWithTheWholeJit() {
        KafkaServer kafka = LocalStack.onFreePorts(Path.of("target", "unused-stack")).forBenchmarks().kafka();

        assertThat(kafka.jvmOptions()).doesNotContain("-XX:TieredStopAtLevel=1").contains("-XX:+UseSerialGC");
    }
}
