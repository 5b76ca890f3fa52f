package io.maestro.provisioner.pricing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PriceTableTest {

    @Test
    void theOperatorsPricesReplaceTheShippedOnesAndAnUnknownTypeHasNone() {
        PriceTable prices = new PriceTable(List.of("c5.large=0.1", " x9.custom = 1.25 "));
        assertThat(prices.perHour("t3.micro").orElseThrow().perHour()).isEqualByComparingTo("0.0104");
        assertThat(prices.perHour("t3.micro").orElseThrow().source()).isEqualTo(PriceTable.SHIPPED_SOURCE);
        assertThat(prices.perHour("c5.large").orElseThrow().perHour()).isEqualByComparingTo("0.1");
        assertThat(prices.perHour("c5.large").orElseThrow().source()).isEqualTo(PriceTable.CONFIGURED_SOURCE);
        assertThat(prices.perHour("x9.custom").orElseThrow().perHour()).isEqualByComparingTo("1.25");
        assertThat(prices.perHour("p5.48xlarge")).isEmpty();
        assertThat(prices.perHour(null)).isEmpty();
    }

    @Test
    void aMalformedPriceStopsTheServiceNamingTheSettingAndTheEntry() {
        for (String bad : List.of("c5.large", "c5.large=cheap", "c5.large=-1", "=0.1")) {
            assertThatThrownBy(() -> new PriceTable(List.of(bad))).as(bad)
                    .hasMessageContaining("provisioner.instance-prices").hasMessageContaining("'" + bad + "'");
        }
    }
}
