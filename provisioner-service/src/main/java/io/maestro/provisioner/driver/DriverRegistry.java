package io.maestro.provisioner.driver;

import io.maestro.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The drivers found in CDI, by name: adding a driver is adding a bean (see {@link ClusterDriver}). */
@ApplicationScoped
public class DriverRegistry {
    private final Map<String, ClusterDriver> drivers = new TreeMap<>();

    @Inject
    DriverRegistry(@Any Instance<ClusterDriver> beans) {
        for (ClusterDriver driver : beans) {
            ClusterDriver earlier = drivers.put(driver.name(), driver);
            if (earlier != null) {
                throw new IllegalStateException("two drivers are named '" + driver.name() + "': "
                        + earlier.getClass().getName() + " and " + driver.getClass().getName());
            }
        }
    }

    public Set<String> names() {
        return drivers.keySet();
    }

    /** The driver called {@code name}, or a 400 naming the field and the known drivers. */
    public ClusterDriver require(String name, String field) {
        ClusterDriver driver = drivers.get(name);
        if (driver == null) {
            throw ProblemException.invalid(field, "unknown driver '" + name + "'; known drivers: " + String.join(", ", drivers.keySet()));
        }
        return driver;
    }
}
