package io.maestro.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which Kafka client settings the commands use: --kafka-config, else MAESTRO_KAFKA_CONFIG; --kafka over the file's servers. */
class KafkaSettingsTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"admin\" password=\"pa55-w0rd\";";

    @TempDir
    Path dir;

    private Path file(String name, String bootstrap) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, (bootstrap == null ? "" : "bootstrap.servers=" + bootstrap + "\n")
                + "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=" + JAAS + "\n"
                + "ssl.truststore.type=PEM\nssl.truststore.location=/tmp/ca.crt\n");
        return file;
    }

    @Test
    void theFileGivesEverySettingAndItsBootstrapServersBeatTheEnvironment() throws Exception {
        Path flagFile = file("flag.properties", "flag-host:9093");
        Path envFile = file("env.properties", "env-host:9093");
        Map<String, String> env = Map.of(KafkaSettings.CONFIG_VARIABLE, envFile.toString(), "KAFKA_BOOTSTRAP_SERVERS", "plain:9092");

        KafkaSettings byFlag = KafkaSettings.resolve(null, flagFile, env);
        assertThat(byFlag.settings()).containsEntry("bootstrap.servers", "flag-host:9093")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", JAAS).containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.location", "/tmp/ca.crt");
        assertThat(byFlag.source()).isEqualTo("--kafka-config " + flagFile);

        KafkaSettings byVariable = KafkaSettings.resolve(null, null, env);
        assertThat(byVariable.bootstrapServers()).isEqualTo("env-host:9093");
        assertThat(byVariable.source()).isEqualTo("MAESTRO_KAFKA_CONFIG=" + envFile);

        assertThat(KafkaSettings.resolve("cli-host:1", flagFile, env).settings())
                .as("--kafka overrides the file's bootstrap.servers only")
                .containsEntry("bootstrap.servers", "cli-host:1").containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void withoutAFileTheBootstrapServersComeFromTheFlagTheEnvironmentOrTheDefault() throws Exception {
        assertThat(KafkaSettings.resolve(null, null, Map.of()).settings()).isEqualTo(Map.of("bootstrap.servers", "127.0.0.1:9092"));
        assertThat(KafkaSettings.resolve(null, null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "h:1")).settings())
                .isEqualTo(Map.of("bootstrap.servers", "h:1"));
        assertThat(KafkaSettings.resolve("f:2", null, Map.of("KAFKA_BOOTSTRAP_SERVERS", "h:1")).settings())
                .isEqualTo(Map.of("bootstrap.servers", "f:2"));
        Path noServers = file("no-servers.properties", null);
        assertThat(KafkaSettings.resolve(null, noServers, Map.of("KAFKA_BOOTSTRAP_SERVERS", "h:1")).bootstrapServers())
                .as("a file without bootstrap.servers").isEqualTo("h:1");
        assertThat(KafkaSettings.resolve(null, null, Map.of(KafkaSettings.CONFIG_VARIABLE, " ")).source())
                .as("a blank variable is no file").isNull();
    }

    @Test
    void aMissingFileIsNamedWithTheOptionOrVariableThatGaveIt() {
        Path missing = dir.resolve("missing.properties");
        assertThatThrownBy(() -> KafkaSettings.resolve(null, missing, Map.of()))
                .isInstanceOf(CliException.class).hasMessageStartingWith("--kafka-config " + missing + ": no such file");
        assertThatThrownBy(() -> KafkaSettings.resolve(null, null, Map.of(KafkaSettings.CONFIG_VARIABLE, missing.toString())))
                .isInstanceOf(CliException.class).hasMessageStartingWith("MAESTRO_KAFKA_CONFIG=" + missing + ": no such file");
        assertThatThrownBy(() -> KafkaSettings.resolve(null, dir, Map.of()))
                .as("a directory").isInstanceOf(CliException.class).hasMessageContaining("no such file");
    }

    @Test
    void aCommandGivenAMissingFileSaysSoOnOneLineWithExitCode1() {
        Path missing = dir.resolve("missing.properties");
        for (String[] args : new String[][]{{"--kafka-config", missing.toString(), "token", "list"},
                {"events", "maestro.registry.changes", "--kafka-config", missing.toString()}}) {
            StringWriter err = new StringWriter();
            var cli = MaestroCli.commandLine();
            cli.setOut(new PrintWriter(new StringWriter(), true));
            cli.setErr(new PrintWriter(err, true));
            assertThat(cli.execute(args)).isEqualTo(1);
            assertThat(err.toString().strip()).isEqualTo("error: --kafka-config " + missing
                    + ": no such file (a Kafka client properties file: bootstrap.servers, security.protocol, sasl.*, ssl.*)");
        }
    }

    @Test
    void theHelpNamesTheOptionAndTheVariable() {
        StringWriter out = new StringWriter();
        var cli = MaestroCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.execute("token", "list", "--help");
        assertThat(out.toString()).contains("--kafka-config=FILE").contains("MAESTRO_KAFKA_CONFIG");
    }

    @Test
    void secretsAreHiddenFromAClientsMessageAndFromToString() throws Exception {
        KafkaSettings settings = KafkaSettings.resolve(null, file("s.properties", "h:1"), Map.of());
        assertThat(settings.redact("Invalid value " + JAAS + " for configuration sasl.jaas.config"))
                .doesNotContain("pa55-w0rd").contains("[hidden]");
        assertThat(settings.redact("login failed with password pa55-w0rd")).doesNotContain("pa55-w0rd");
        assertThat(settings.toString()).doesNotContain("pa55-w0rd").contains("h:1");
    }
}
