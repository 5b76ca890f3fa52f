package io.maestro.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ./maestro up --secure} cannot start on a plaintext stack's data (nor the other way round), and says how. */
class SuiteRunnerModeTest {
    @TempDir
    Path dir;

    @Test
    void aSecuredStackRefusesThePlaintextStacksDataAndNamesFresh() throws IOException {
        Files.createDirectories(dir.resolve("kafka")); // data of a stack from before the mode was recorded: plaintext
        assertThatThrownBy(() -> SuiteRunner.checkMode(dir, true))
                .hasMessageContaining("holds the data of a plaintext stack").hasMessageContaining("--fresh");
        SuiteRunner.checkMode(dir, false);
        assertThat(dir.resolve(SuiteRunner.MODE_FILE)).hasContent("plaintext");
    }

    @Test
    void aPlaintextStackRefusesTheSecuredStacksData() throws IOException {
        SuiteRunner.checkMode(dir, true); // a fresh directory takes either
        assertThatThrownBy(() -> SuiteRunner.checkMode(dir, false)).hasMessageContaining("holds the data of a secured stack");
        SuiteRunner.checkMode(dir, true);
    }
}
