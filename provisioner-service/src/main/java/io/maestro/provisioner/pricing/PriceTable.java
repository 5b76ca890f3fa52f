package io.maestro.provisioner.pricing;

import io.maestro.provisioner.config.ProvisionerConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What an EC2 instance type costs per hour, for a dry run's plan: the shipped list prices (us-east-1, on-demand,
 * Linux; {@code pricing/aws-ec2.properties}) under the operator's own ({@code provisioner.instance-prices}).
 */
@ApplicationScoped
public class PriceTable {
    static final String SHIPPED = "pricing/aws-ec2.properties";
    public static final String SHIPPED_SOURCE = "AWS list price, us-east-1 on-demand Linux (2025)";
    public static final String CONFIGURED_SOURCE = "provisioner.instance-prices";

    /** A price and where it comes from. */
    public record Price(BigDecimal perHour, String source) {
    }

    private final Map<String, Price> prices = new HashMap<>();

    @jakarta.inject.Inject
    public PriceTable(ProvisionerConfig config) {
        this(config.instancePrices().orElse(List.of()));
    }

    /** The shipped prices under {@code overrides}, each {@code type=usdPerHour}; a malformed one stops the service, naming it. */
    public PriceTable(List<String> overrides) {
        Properties shipped = new Properties();
        try (InputStream in = PriceTable.class.getClassLoader().getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException(SHIPPED + " is missing from the service");
            }
            shipped.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        shipped.forEach((type, price) -> prices.put((String) type, new Price(new BigDecimal((String) price), SHIPPED_SOURCE)));
        for (String entry : overrides) {
            String[] parts = entry.strip().split("=", 2);
            BigDecimal price;
            try {
                price = parts.length == 2 ? new BigDecimal(parts[1].strip()) : null;
            } catch (NumberFormatException e) {
                price = null;
            }
            if (price == null || price.signum() < 0 || parts[0].isBlank()) {
                throw new IllegalArgumentException(CONFIGURED_SOURCE + ": '" + entry + "' is not type=price (USD per hour), e.g. c5.large=0.096");
            }
            prices.put(parts[0].strip(), new Price(price, CONFIGURED_SOURCE));
        }
    }

    public Optional<Price> perHour(String instanceType) {
        return Optional.ofNullable(instanceType == null ? null : prices.get(instanceType));
    }
}
