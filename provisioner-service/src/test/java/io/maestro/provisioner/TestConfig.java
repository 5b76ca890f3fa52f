package io.maestro.provisioner;

import io.maestro.provisioner.config.ProvisionerConfig;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The defaults of {@link ProvisionerConfig}, for programs and tests that build drivers without Quarkus. */
public final class TestConfig {
    private TestConfig() {
    }

    public static ProvisionerConfig of(Path dataDir, ProvisionerConfig.Ec2 ec2) {
        return new ProvisionerConfig() {
            public Path dataDir() { return dataDir; }
            public int maxNodesPerCluster() { return 100; }
            public int maxNodesTotal() { return 500; }
            public Duration commandLease() { return Duration.ofSeconds(30); }
            public Duration sweepInterval() { return Duration.ofSeconds(2); }
            public int maxExecTimeoutSeconds() { return 300; }
            public int defaultExecTimeoutSeconds() { return 30; }
            public int maxExecOutputBytes() { return 65536; }
            public int maxCopyBytes() { return 8 * 1024 * 1024; }
            public Optional<List<String>> instancePrices() { return Optional.empty(); }
            public Duration sshConnectTimeout() { return Duration.ofSeconds(10); }
            public Duration sshReadyTimeout() { return Duration.ofSeconds(60); }
            public Duration readyCommandTimeout() { return Duration.ofSeconds(30); }
            public Ec2 ec2() { return ec2; }
            public Ttl ttl() {
                return new Ttl() {
                    public Duration max() { return Duration.ofDays(30); }
                    public Duration checkInterval() { return Duration.ofSeconds(1); }
                    public Duration retryAfter() { return Duration.ofMinutes(1); }
                };
            }
            public Watch watch() {
                return new Watch() {
                    public Duration keepAlive() { return Duration.ofSeconds(15); }
                    public int buffer() { return 1024; }
                };
            }
            public Local local() {
                return new Local() {
                    public String username() { return "maestro"; }
                    public String bindAddress() { return "127.0.0.1"; }
                    public String shell() { return "bash"; }
                };
            }
        };
    }

    /** EC2 settings pointing at a test double, polling fast. */
    public static ProvisionerConfig.Ec2 ec2(URI endpoint, int pageSize) {
        return ec2(endpoint, pageSize, 22);
    }

    /** The same, with the nodes' sshd on {@code sshPort}. */
    public static ProvisionerConfig.Ec2 ec2(URI endpoint, int pageSize, int sshPort) {
        return new ProvisionerConfig.Ec2() {
            public String region() { return "us-east-1"; }
            public Optional<URI> endpointOverride() { return Optional.of(endpoint); }
            public Optional<URI> ssmEndpointOverride() { return Optional.of(endpoint); }
            public Optional<List<String>> sshCidrs() { return Optional.of(List.of("198.51.100.0/24")); }
            public int maxAttempts() { return 10; }
            public Duration throttlingBaseDelay() { return Duration.ofMillis(20); }
            public Duration pollInterval() { return Duration.ofMillis(20); }
            public int maxPolls() { return 100; }
            public int pageSize() { return pageSize; }
            public int sshPort() { return sshPort; }
        };
    }
}
