package io.maestro.client.auth;

import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ledger's Kafka clients get every setting it is given, not only bootstrap.servers (the secured stack needs SASL_SSL). */
class TokenLedgerTest {

    @Test
    void everySettingOfAMapReachesTheClients() {
        try (TokenLedger ledger = TokenLedger.with(Map.of("bootstrap.servers", "127.0.0.1:1", "security.protocol", "NOT_A_PROTOCOL"))) {
            assertThatThrownBy(ledger::list).isInstanceOf(KafkaException.class).hasStackTraceContaining("NOT_A_PROTOCOL");
        }
    }

    @Test
    void everySettingOfAPropertiesFileReachesTheClients() {
        Properties file = new Properties();
        file.setProperty("bootstrap.servers", "127.0.0.1:1");
        file.setProperty("sasl.mechanism", "SCRAM-SHA-512");
        file.setProperty("security.protocol", "NOT_A_PROTOCOL");
        try (TokenLedger ledger = TokenLedger.with(file)) {
            assertThatThrownBy(() -> ledger.record(null)).isInstanceOf(KafkaException.class).hasStackTraceContaining("NOT_A_PROTOCOL");
        }
    }
}
