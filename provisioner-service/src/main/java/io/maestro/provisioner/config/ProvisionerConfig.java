package io.maestro.provisioner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;

/** Every setting of the provisioner; each can be overridden by an environment variable (PROVISIONER_...). */
@ConfigMapping(prefix = "provisioner")
public interface ProvisionerConfig {

    /** Directory for the service's SSH key and the local driver's nodes (PROVISIONER_DATA_DIR). */
    @WithDefault("${user.home}/.maestro/provisioner")
    Path dataDir();

    /** Most nodes one cluster may have. */
    @WithDefault("100")
    int maxNodesPerCluster();

    /** Most nodes all clusters together may have. */
    @WithDefault("500")
    int maxNodesTotal();

    /** How long a replica owns a command it claimed unless it renews the lease; then another replica resumes it. */
    @WithDefault("30s")
    Duration commandLease();

    /** How often each replica looks for queued or abandoned commands. */
    @WithDefault("2s")
    Duration sweepInterval();

    /** Most seconds an exec may run on a node; a request may ask for less. */
    @WithDefault("300")
    int maxExecTimeoutSeconds();

    /** Seconds an exec runs when the request names no timeout. */
    @WithDefault("30")
    int defaultExecTimeoutSeconds();

    /**
     * Prices for dry-run plans, {@code type=usdPerHour} (PROVISIONER_INSTANCE_PRICES=c5.large=0.096,t3.micro=0.0118);
     * they replace the shipped us-east-1 list prices for those types.
     */
    java.util.Optional<java.util.List<String>> instancePrices();

    /** Largest file {@code PUT /v1/clusters/{name}/files} copies to nodes (below Quarkus's 10 MiB body limit). */
    @WithDefault("8388608")
    int maxCopyBytes();

    /** Most bytes of stdout and of stderr kept per node and exec. */
    @WithDefault("65536")
    int maxExecOutputBytes();

    /** Timeout of an SSH connect and authentication. */
    @WithDefault("10s")
    Duration sshConnectTimeout();

    /** How long a launch waits for a node to answer SSH after its driver reports it running. */
    @WithDefault("120s")
    Duration sshReadyTimeout();

    /** How long a node's ready command (the EC2 driver's {@code cloud-init status --wait}) may take once it answers SSH. */
    @WithDefault("15m")
    Duration readyCommandTimeout();

    /** Clusters that expire ({@code ttl} on launch, {@code PUT /v1/clusters/{name}/ttl}). */
    Ttl ttl();

    interface Ttl {
        /** Longest ttl a launch or an extension may ask for. */
        @WithDefault("30d")
        Duration max();

        /** How often each replica looks for clusters whose ttl ran out; the delay from expiry to destruction. */
        @WithDefault("1s")
        Duration checkInterval();

        /** How long after a failed expiry DESTROY another is tried. */
        @WithDefault("1m")
        Duration retryAfter();
    }

    /** Settings of the live watch of a command's events ({@code GET /v1/commands/{id}/events}). */
    Watch watch();

    /** Settings of the {@code local} driver. */
    Local local();

    /** Settings of the {@code aws-ec2} driver; credentials come from the AWS default provider chain, never from here. */
    Ec2 ec2();

    interface Ec2 {
        /** AWS region (PROVISIONER_EC2_REGION); also needed with an endpoint override, for signing. */
        @WithDefault("us-east-1")
        String region();

        /** EC2 endpoint instead of AWS's (a test double, a VPC endpoint). */
        java.util.Optional<java.net.URI> endpointOverride();

        /** SSM endpoint instead of AWS's, for {@code imageId=ssm:/...} (a test double, a VPC endpoint). */
        java.util.Optional<java.net.URI> ssmEndpointOverride();

        /** CIDRs allowed to reach nodes on SSH; none by default, and never 0.0.0.0/0 unless you list it. */
        java.util.Optional<java.util.List<String>> sshCidrs();

        /** Most attempts of one API call; throttling (RequestLimitExceeded) is retried with exponential backoff. */
        @WithDefault("10")
        int maxAttempts();

        /** First delay of the throttling backoff. */
        @WithDefault("500ms")
        Duration throttlingBaseDelay();

        /** Delay between polls while waiting for instances to run or terminate. */
        @WithDefault("5s")
        Duration pollInterval();

        /** Most polls while waiting for instances to run or terminate. */
        @WithDefault("60")
        int maxPolls();

        /** Page size of DescribeInstances (5 to 1000). */
        @WithDefault("1000")
        int pageSize();

        /** The port the nodes' sshd listens on (an image that moves it off 22); the security group opens this one. */
        @WithDefault("22")
        int sshPort();
    }

    interface Watch {
        /** Interval of SSE comment lines that keep idle connections open (0 turns them off). */
        @WithDefault("15s")
        Duration keepAlive();

        /** Items unsent to a slow watcher before its stream ends with a fell-behind event (it resumes with Last-Event-ID). */
        @WithDefault("1024")
        int buffer();
    }

    interface Local {
        /** User name the local nodes report (any name is accepted at login; keys decide). */
        @WithDefault("maestro")
        String username();

        /** Address the local nodes listen on; keep loopback unless you know why. */
        @WithDefault("127.0.0.1")
        String bindAddress();

        /** Shell that runs exec commands and logins, as {@code <shell> -c <command>}. */
        @WithDefault("bash")
        String shell();
    }
}
