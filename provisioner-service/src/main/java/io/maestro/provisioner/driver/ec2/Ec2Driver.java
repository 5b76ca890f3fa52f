package io.maestro.provisioner.driver.ec2;

import io.maestro.events.ProvisioningEvent.NodeStatus;
import io.maestro.provisioner.Failures;
import io.maestro.provisioner.config.ProvisionerConfig;
import io.maestro.provisioner.driver.ClusterDriver;
import io.maestro.provisioner.driver.DriverContext;
import io.maestro.provisioner.driver.DriverException;
import io.maestro.provisioner.driver.DriverNode;
import io.maestro.provisioner.driver.DriverPlan;
import io.maestro.provisioner.driver.NodeSlot;
import io.maestro.provisioner.driver.Started;
import io.maestro.provisioner.ssh.SshKeys;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceInterruptionBehavior;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Nodes as EC2 instances (AWS SDK v2): one RunInstances per group run of indexes, tags at launch and a ClientToken
 * derived from the launch, group, first index and choice, so a retried or resumed launch returns the same reservation
 * instead of doubling it, and an interrupted one is found again by its tags. Without capacity for all of them
 * (InsufficientInstanceCapacity and the like), the rest go to the group's next choice of instance type, subnet or zone
 * and market ({@link #choices}). Security group
 * {@code maestro-<cluster>} admits SSH only from {@code provisioner.ec2.ssh-cidrs} plus all traffic inside the
 * cluster. Both SSH keys (the service's, the user's) go in through cloud-init user data; each node's host key is read
 * from its console output, where cloud-init prints it, and verified on every connection.
 */
@ApplicationScoped
@Identifier(Ec2Driver.NAME)
public class Ec2Driver implements ClusterDriver {
    public static final String NAME = "aws-ec2";
    static final String TAG_CLUSTER = "maestro:cluster";
    static final String TAG_GROUP = "maestro:group";
    static final String TAG_FIRST_INDEX = "maestro:first-index";
    private static final Set<String> OPTIONS = Set.of("imageId", "instanceType", "instanceTypes", "username", "subnetId", "subnetIds",
            "availabilityZones", "market", "userData", "waitForCloudInit");
    /** Most entries in {@code instanceTypes}, and in {@code subnetIds} or {@code availabilityZones}. */
    static final int MAX_CHOICES = 8;
    /** EC2's answers that mean "not here, not now": the next choice may have room. Anything else fails the launch. */
    static final Set<String> NO_CAPACITY = Set.of("InsufficientInstanceCapacity", "InsufficientHostCapacity",
            "InsufficientReservedInstanceCapacity", "Unsupported", "InsufficientFreeAddressesInSubnet",
            "MaxSpotInstanceCountExceeded", "SpotMaxPriceTooLow");
    static final String SPOT = "spot";
    static final String ON_DEMAND = "on-demand";
    static final String CLOUD_INIT_WAIT = "cloud-init status --wait";
    /** EC2's limit on user data, before base64. */
    static final int MAX_USER_DATA = 16 * 1024;
    private static final String BOUNDARY = "maestro-user-data-boundary";
    static final String DEFAULT_INSTANCE_TYPE = "t3.micro";
    private static final List<String> LIVE_STATES = List.of("pending", "running", "stopping", "stopped");

    static final String SSM_PREFIX = "ssm:";

    private final ProvisionerConfig.Ec2 config;
    private volatile Ec2Client client;
    private volatile SsmClient ssmClient;

    @Inject
    public Ec2Driver(ProvisionerConfig config) {
        this.config = config.ec2();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> knownOptions() {
        return OPTIONS;
    }

    @Override
    public Set<String> requiredOptions() {
        return Set.of("imageId");
    }

    /** Built on first use, so a service that never uses EC2 needs no AWS configuration. */
    private Ec2Client ec2() {
        Ec2Client current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = configured(Ec2Client.builder(), config.endpointOverride(), DefaultRetryStrategy.standardStrategyBuilder()
                            // EC2 answers "no capacity" with a 500: the next choice, not the same call again, is the cure.
                            // ours alone: the SDK's defaults, added to a strategy by default, would retry it
                            .useClientDefaults(false)
                            .retryOnException(failure -> transientFailure(failure) && !NO_CAPACITY.contains(errorCode(failure)))
                            .treatAsThrottling(failure -> failure instanceof AwsServiceException e && e.isThrottlingException()));
                }
                current = client;
            }
        }
        return current;
    }

    /** What AWS's standard strategy retries: throttling, 5xx answers and broken connections. */
    static boolean transientFailure(Throwable failure) {
        if (failure instanceof AwsServiceException e) {
            return e.isThrottlingException() || e.retryable() || e.statusCode() >= 500;
        }
        return failure instanceof SdkException e && (e.retryable() || e.getCause() instanceof java.io.IOException);
    }

    private static String errorCode(Throwable failure) {
        return failure instanceof AwsServiceException e && e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : "";
    }

    /**
     * An AWS client with the driver's region, the default credentials chain, one small blocking HTTP client and
     * {@code retries} (what to retry) with the driver's attempts and backoff.
     */
    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configured(B builder, Optional<URI> endpoint,
                                                                                           StandardRetryStrategy.Builder retries) {
        builder.region(Region.of(config.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(retries
                        .maxAttempts(config.maxAttempts())
                        // Bursts above ~20 instances meet RequestLimitExceeded: back off rather than give up.
                        .circuitBreakerEnabled(false)
                        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(config.throttlingBaseDelay(), Duration.ofSeconds(20)))
                        .build()));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** Built on first use of an {@code ssm:} image, with the EC2 client's region, credentials and retries. */
    private SsmClient ssm() {
        SsmClient current = ssmClient;
        if (current == null) {
            synchronized (this) {
                if (ssmClient == null) {
                    ssmClient = configured(SsmClient.builder(), config.ssmEndpointOverride(), AwsRetryStrategy.standardRetryStrategy().toBuilder());
                }
                current = ssmClient;
            }
        }
        return current;
    }

    /**
     * The AMI a group runs: its {@code imageId}, or what the SSM parameter it names holds ({@code ssm:/aws/service/
     * ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}: AWS's public pointer to the latest image).
     */
    String image(DriverContext context) {
        String imageId = context.options().get("imageId");
        if (imageId == null || !imageId.startsWith(SSM_PREFIX)) {
            return imageId;
        }
        String parameter = imageId.substring(SSM_PREFIX.length());
        String value;
        try {
            value = ssm().getParameter(r -> r.name(parameter)).parameter().value();
        } catch (ParameterNotFoundException e) {
            throw DriverException.invalid("option 'imageId': there is no SSM parameter " + parameter);
        } catch (SsmException e) {
            throw new DriverException("GetParameter " + parameter + " failed: " + e.awsErrorDetails().errorCode(), e);
        }
        if (value == null || !value.startsWith("ami-")) {
            throw DriverException.invalid("option 'imageId': SSM parameter " + parameter + " holds no image id");
        }
        return value;
    }

    @PreDestroy
    public void close() {
        if (client != null) {
            client.close();
        }
        if (ssmClient != null) {
            ssmClient.close();
        }
    }

    /**
     * One way to run a group's nodes: an instance type in a market, in a subnet or an availability zone (both null:
     * EC2 chooses).
     */
    record Choice(String instanceType, String market, String subnet, String zone) {
        String location() {
            return subnet != null ? subnet : zone;
        }

        @Override
        public String toString() {
            return instanceType + " " + market + (location() == null ? "" : " in " + location());
        }
    }

    /**
     * The group's choices in preference order: each instance type (its {@code instanceTypes}, else its {@code
     * instanceType}) in each of its subnets or zones; with {@code market=spot}, all of them as spot first, then all
     * again on demand.
     */
    static List<Choice> choices(Map<String, String> options) {
        List<String> types = listed(options.get("instanceTypes")).orElse(List.of(options.getOrDefault("instanceType", DEFAULT_INSTANCE_TYPE)));
        List<String> subnets = listed(options.get("subnetIds")).orElse(options.containsKey("subnetId") ? List.of(options.get("subnetId")) : List.of());
        List<String> zones = listed(options.get("availabilityZones")).orElse(List.of());
        List<String> markets = SPOT.equals(options.get("market")) ? List.of(SPOT, ON_DEMAND) : List.of(ON_DEMAND);
        List<Choice> choices = new ArrayList<>();
        for (String market : markets) {
            for (String type : types) {
                if (!subnets.isEmpty()) {
                    subnets.forEach(subnet -> choices.add(new Choice(type, market, subnet, null)));
                } else if (!zones.isEmpty()) {
                    zones.forEach(zone -> choices.add(new Choice(type, market, null, zone)));
                } else {
                    choices.add(new Choice(type, market, null, null));
                }
            }
        }
        return choices;
    }

    private static Optional<List<String>> listed(String value) {
        return value == null ? Optional.empty() : Optional.of(java.util.Arrays.stream(value.split(",")).map(String::strip).toList());
    }

    /** A comma-separated list option: 1 to {@link #MAX_CHOICES} distinct entries, each matching {@code pattern}. */
    private static void checkList(Map<String, String> options, String option, String pattern, String example) {
        Optional<List<String>> entries = listed(options.get(option));
        if (entries.isEmpty()) {
            return;
        }
        List<String> list = entries.get();
        if (list.size() > MAX_CHOICES || list.stream().distinct().count() != list.size()
                || !list.stream().allMatch(entry -> entry.matches(pattern))) {
            throw DriverException.invalid("option '" + option + "': 1 to " + MAX_CHOICES + " distinct entries separated by commas, "
                    + "in order of preference, e.g. " + example);
        }
    }

    private static void atMostOne(Map<String, String> options, String... names) {
        List<String> given = java.util.Arrays.stream(names).filter(options::containsKey).toList();
        if (given.size() > 1) {
            throw DriverException.invalid("options '" + String.join("' and '", given) + "': give only one of " + String.join(", ", names));
        }
    }

    @Override
    public void checkOptions(Map<String, String> options) {
        atMostOne(options, "instanceType", "instanceTypes");
        atMostOne(options, "subnetId", "subnetIds", "availabilityZones");
        checkList(options, "instanceTypes", "[a-z0-9-]{1,32}\\.[a-z0-9-]{1,32}", "c6i.large,c5.large,m6i.large");
        checkList(options, "subnetIds", "subnet-[0-9a-f]{1,32}", "subnet-0a1b2c3d,subnet-4e5f6a7b");
        checkList(options, "availabilityZones", "[a-z]{2}(-[a-z0-9]+)+[a-z]", "us-east-1a,us-east-1b");
        String market = options.get("market");
        if (market != null && !market.equals(SPOT) && !market.equals(ON_DEMAND)) {
            throw DriverException.invalid("option 'market': spot or on-demand (spot falls back to on-demand when EC2 has no spot capacity)");
        }
        String wait = options.get("waitForCloudInit");
        if (wait != null && !wait.equals("true") && !wait.equals("false")) {
            throw DriverException.invalid("option 'waitForCloudInit': true or false");
        }
        String imageId = options.get("imageId");
        if (imageId != null && imageId.startsWith(SSM_PREFIX) && !imageId.matches("ssm:/[A-Za-z0-9_.\\-/]{1,2047}")) {
            throw DriverException.invalid("option 'imageId': ssm: and a parameter path such as "
                    + "ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
        }
        String own = options.get("userData");
        if (own != null && !own.isBlank()) {
            partType(own);
            // room for the keys' cloud-config and the MIME headers around both parts
            if (own.getBytes(StandardCharsets.UTF_8).length > MAX_USER_DATA - 4096) {
                throw DriverException.invalid("option 'userData' may have at most " + (MAX_USER_DATA - 4096)
                        + " bytes (EC2 takes 16 KiB of user data, and the nodes' SSH keys need the rest)");
            }
        }
    }

    @Override
    public void prepare(DriverContext context, String tag, int count, boolean dryRun) {
        checkOptions(context.options());
        String imageId = context.options().get("imageId");
        if (imageId == null || imageId.isBlank()) {
            throw DriverException.invalid("the aws-ec2 driver needs option 'imageId'");
        }
        List<String> cidrs = config.sshCidrs().orElse(List.of());
        if (cidrs.isEmpty()) {
            throw DriverException.invalid("set provisioner.ec2.ssh-cidrs (PROVISIONER_EC2_SSH_CIDRS) to the networks that may reach the nodes on SSH");
        }
        if (dryRun) {
            // Every mutating call with DryRun: EC2 answers DryRunOperation when it would succeed, and creates nothing.
            dry(() -> ec2().createSecurityGroup(r -> r.groupName(groupName(context)).description("Maestro cluster " + context.cluster()).dryRun(true)));
            dry(() -> ec2().runInstances(runRequest(context, tag, 0, Math.max(1, count), null, choices(context.options()).get(0))
                    .toBuilder().dryRun(true).build()));
            return;
        }
        securityGroup(context, cidrs);
    }

    @Override
    public Optional<String> readyCommand(DriverContext context) {
        return "true".equals(context.options().get("waitForCloudInit")) ? Optional.of(CLOUD_INIT_WAIT) : Optional.empty();
    }

    @Override
    public DriverPlan plan(DriverContext context, String tag, int count) {
        List<Choice> choices = choices(context.options());
        String type = choices.get(0).instanceType();
        String group = groupName(context);
        String imageId = context.options().get("imageId");
        String image = image(context);
        String cidrs = String.join(", ", config.sshCidrs().orElse(List.of()));
        List<String> calls = new ArrayList<>();
        if (!image.equals(imageId)) {
            calls.add("ssm:GetParameter " + imageId.substring(SSM_PREFIX.length()) + " (now " + image + ")");
        }
        calls.add("DescribeSecurityGroups group-name=" + group + " (the cluster's, if a group before made it)");
        calls.add("CreateSecurityGroup " + group + ", unless found");
        calls.add("AuthorizeSecurityGroupIngress tcp/22 from " + cidrs + ", and all traffic within " + group);
        Choice first = choices.get(0);
        calls.add("RunInstances " + count + " × " + first.instanceType() + " of " + image + ", " + first.market()
                + (first.location() == null ? "" : " in " + first.location())
                + (context.options().containsKey("userData") ? ", with the group's userData after the nodes' SSH keys" : "")
                + ", tagged " + TAG_CLUSTER + "=" + context.cluster() + " " + TAG_GROUP + "=" + tag + ", one ClientToken");
        if (choices.size() > 1) {
            calls.add("for the nodes EC2 has no capacity for there, RunInstances again with the next of: "
                    + choices.subList(1, choices.size()).stream().map(Choice::toString).collect(java.util.stream.Collectors.joining(", "))
                    + " (until enough run: the group's minCount)");
        }
        if (SPOT.equals(context.options().get("market"))) {
            calls.add("(the price shown is on demand: spot costs at most that)");
        }
        calls.add("DescribeInstances until all " + count + " run (every " + config.pollInterval().toMillis() + " ms, at most "
                + config.maxPolls() + " times)");
        calls.add("GetConsoleOutput × " + count + " (each node's SSH host key, printed by cloud-init)");
        readyCommand(context).ifPresent(command -> calls.add("ssh " + command + " on each node, before it counts as running"));
        return new DriverPlan(calls, type, false);
    }

    private static void dry(Runnable call) {
        try {
            call.run();
        } catch (Ec2Exception e) {
            if ("DryRunOperation".equals(code(e))) {
                return;
            }
            throw DriverException.invalid("EC2 would refuse: " + code(e) + ": " + e.awsErrorDetails().errorMessage());
        }
        throw DriverException.failed("EC2 ignored DryRun; stopping before anything else is created");
    }

    /** The cluster's security group, created with its rules if missing (duplicates are fine: we may be resuming). */
    private String securityGroup(DriverContext context, List<String> cidrs) {
        Optional<String> existing = existingSecurityGroup(context);
        if (existing.isPresent()) {
            return existing.get();
        }
        String groupId;
        try {
            groupId = ec2().createSecurityGroup(r -> r.groupName(groupName(context)).description("Maestro cluster " + context.cluster())
                    .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
                            .tags(Tag.builder().key(TAG_CLUSTER).value(context.cluster()).build()).build())).groupId();
        } catch (Ec2Exception e) {
            if (!"InvalidGroup.Duplicate".equals(code(e))) {
                throw failed("CreateSecurityGroup", e);
            }
            groupId = existingSecurityGroup(context).orElseThrow(() -> failed("CreateSecurityGroup", e));
        }
        String id = groupId;
        List<IpPermission> rules = List.of(
                IpPermission.builder().ipProtocol("tcp").fromPort(config.sshPort()).toPort(config.sshPort())
                        .ipRanges(cidrs.stream().map(c -> IpRange.builder().cidrIp(c).build()).toList()).build(),
                IpPermission.builder().ipProtocol("-1").userIdGroupPairs(UserIdGroupPair.builder().groupId(id).build()).build());
        try {
            ec2().authorizeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(rules));
        } catch (Ec2Exception e) {
            if (!"InvalidPermission.Duplicate".equals(code(e))) {
                throw failed("AuthorizeSecurityGroupIngress", e);
            }
        }
        return id;
    }

    private Optional<String> existingSecurityGroup(DriverContext context) {
        return ec2().describeSecurityGroups(r -> r.filters(filter("group-name", groupName(context)))).securityGroups().stream()
                .map(g -> g.groupId()).findFirst();
    }

    @Override
    public List<DriverNode> start(DriverContext context, String tag, List<NodeSlot> nodes) {
        return start(context, tag, nodes, nodes.size()).nodes();
    }

    /**
     * Creates the missing nodes choice by choice ({@link #choices}): each RunInstances asks for all still missing and
     * takes what EC2 has room for; a choice without capacity passes them to the next. The last choice must make up
     * {@code atLeast} (its MinCount), so with one choice and all nodes needed this is one all-or-nothing call, as EC2
     * does it. Nodes that exist already (a resumed launch) count as placed.
     */
    @Override
    public Started start(DriverContext context, String tag, List<NodeSlot> nodes, int atLeast) {
        Map<Integer, Instance> existing = byIndex(describe(context, tag));
        List<Integer> missing = nodes.stream().map(NodeSlot::index).filter(i -> !existing.containsKey(i)).sorted().toList();
        // One RunInstances per contiguous run of missing indexes: a launch is one call per group, a scale-up one more.
        String securityGroup = missing.isEmpty() ? null : securityGroup(context, config.sshCidrs().orElse(List.of()));
        List<Choice> choices = choices(context.options());
        List<Started.Placement> placements = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        int placed = nodes.size() - missing.size();
        for (List<Integer> run : runs(missing)) {
            List<Integer> left = run;
            for (int c = 0; c < choices.size() && !left.isEmpty(); c++) {
                Choice choice = choices.get(c);
                int first = left.get(0);
                int min = c < choices.size() - 1 ? 1 : Math.min(left.size(), Math.max(1, atLeast - placed));
                RunInstancesRequest request = runRequest(context, tag, first, left.size(), securityGroup, choice).toBuilder()
                        .minCount(min).clientToken(clientToken(context, tag, first, left.size(), c)).build();
                List<Instance> launched;
                try {
                    launched = ec2().runInstances(request).instances();
                } catch (Ec2Exception e) {
                    if (!NO_CAPACITY.contains(code(e))) {
                        throw failed("RunInstances", e);
                    }
                    refusals.add(choice + ": " + code(e));
                    Log.infof("group %s of cluster %s: %s for %d nodes, trying the next choice", tag, context.cluster(), refusals.get(refusals.size() - 1), left.size());
                    continue;
                }
                launched.forEach(i -> existing.put(indexOf(i), i));
                placements.add(new Started.Placement(choice.instanceType(), choice.market(), choice.location(), left.subList(0, launched.size())));
                if (launched.size() < left.size()) {
                    refusals.add(choice + ": room for " + launched.size() + " of " + left.size());
                }
                placed += launched.size();
                left = left.subList(launched.size(), left.size());
            }
        }
        List<String> stopped = nodes.stream().map(s -> existing.get(s.index()))
                .filter(i -> i != null && i.state().name() == InstanceStateName.STOPPED).map(Instance::instanceId).toList();
        if (!stopped.isEmpty()) {
            ec2().startInstances(r -> r.instanceIds(stopped));
        }
        List<String> ids = nodes.stream().map(s -> existing.get(s.index())).filter(i -> i != null).map(Instance::instanceId).toList();
        List<DriverNode> started = new ArrayList<>();
        if (!ids.isEmpty()) {
            try {
                // The waiter keeps polling through InvalidInstanceID.NotFound (EC2 is eventually consistent after launch).
                ec2().waiter().waitUntilInstanceRunning(r -> r.instanceIds(ids), waiting());
            } catch (RuntimeException e) {
                throw new DriverException("instances of group " + tag + " did not reach running: " + Failures.reason(e), e);
            }
            for (Instance instance : describeIds(ids)) {
                started.add(node(context, tag, instance, hostKey(instance.instanceId())));
            }
        }
        String shortfall = started.size() == nodes.size() ? null
                : "EC2 had room for " + started.size() + " of " + nodes.size() + " nodes (" + String.join("; ", refusals) + ")";
        return new Started(started, placements, shortfall);
    }

    private static List<List<Integer>> runs(List<Integer> sorted) {
        List<List<Integer>> runs = new ArrayList<>();
        for (int index : sorted) {
            if (runs.isEmpty() || runs.get(runs.size() - 1).get(runs.get(runs.size() - 1).size() - 1) != index - 1) {
                runs.add(new ArrayList<>());
            }
            runs.get(runs.size() - 1).add(index);
        }
        return runs;
    }

    /**
     * The nodes' user data: the cloud-config that authorizes the service's key (and the user's); with the group's
     * own {@code userData} (a script or cloud-config), both as parts of one MIME multipart, which cloud-init runs
     * in order. A caller's mistake (too large for EC2) is a 400 naming the option.
     */
    static String userData(DriverContext context) {
        String keys = "#cloud-config\nssh_authorized_keys:\n  - " + SshKeys.format(context.servicePublicKey()) + "\n"
                + (context.userPublicKey() == null ? "" : "  - " + context.userPublicKey().trim() + "\n");
        String own = context.options().get("userData");
        String userData = own == null || own.isBlank() ? keys
                : "Content-Type: multipart/mixed; boundary=\"" + BOUNDARY + "\"\nMIME-Version: 1.0\n\n"
                + part(keys, "text/cloud-config", "maestro-keys.yaml") + part(own, partType(own), "group-user-data") + "--" + BOUNDARY + "--\n";
        if (userData.getBytes(StandardCharsets.UTF_8).length > MAX_USER_DATA) {
            throw DriverException.invalid("option 'userData' makes the user data larger than EC2's " + MAX_USER_DATA + " bytes");
        }
        return userData;
    }

    private static String part(String content, String type, String name) {
        return "--" + BOUNDARY + "\nContent-Type: " + type + "; charset=\"utf-8\"\nContent-Disposition: attachment; filename=\"" + name
                + "\"\n\n" + content + (content.endsWith("\n") ? "" : "\n");
    }

    /** What cloud-init makes of a part, by its first line, as it does for user data that is not multipart. */
    private static String partType(String content) {
        if (content.startsWith("#cloud-config")) {
            return "text/cloud-config";
        }
        if (content.startsWith("#!")) {
            return "text/x-shellscript";
        }
        if (content.startsWith("#cloud-boothook")) {
            return "text/cloud-boothook";
        }
        throw DriverException.invalid("option 'userData' must start with #!, #cloud-config or #cloud-boothook (what cloud-init runs)");
    }

    private RunInstancesRequest runRequest(DriverContext context, String tag, int firstIndex, int count, String securityGroup, Choice choice) {
        String userData = userData(context);
        RunInstancesRequest.Builder request = RunInstancesRequest.builder()
                .imageId(image(context))
                .instanceType(choice.instanceType())
                .minCount(count).maxCount(count)
                .userData(Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)))
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(
                        Tag.builder().key(TAG_CLUSTER).value(context.cluster()).build(),
                        Tag.builder().key(TAG_GROUP).value(tag).build(),
                        Tag.builder().key(TAG_FIRST_INDEX).value(Integer.toString(firstIndex)).build(),
                        Tag.builder().key("Name").value(context.cluster() + "-" + tag).build()).build());
        if (securityGroup != null) {
            request.securityGroupIds(securityGroup);
        }
        if (choice.subnet() != null) {
            request.subnetId(choice.subnet());
        }
        if (choice.zone() != null) {
            request.placement(p -> p.availabilityZone(choice.zone()));
        }
        if (SPOT.equals(choice.market())) {
            // One-time spot, terminated when EC2 takes the capacity back: such nodes cannot be stopped, only destroyed.
            request.instanceMarketOptions(m -> m.marketType(MarketType.SPOT).spotOptions(o -> o.spotInstanceType(SpotInstanceType.ONE_TIME)
                    .instanceInterruptionBehavior(InstanceInterruptionBehavior.TERMINATE)));
        }
        return request.build();
    }

    /** Same launch, group, indexes and choice → same token → EC2 returns the earlier reservation instead of a new one. */
    static String clientToken(DriverContext context, String tag, int firstIndex, int count, int choice) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((context.cluster() + "/" + context.launchId() + "/" + tag + "/"
                    + firstIndex + "/" + count + "/" + choice).getBytes(StandardCharsets.UTF_8));
            return "maestro-" + HexFormat.of().formatHex(digest, 0, 24);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<Integer, Instance> byIndex(List<Instance> instances) {
        Map<Integer, Instance> map = new TreeMap<>();
        instances.forEach(i -> map.put(indexOf(i), i));
        return map;
    }

    private static int indexOf(Instance instance) {
        int first = instance.tags().stream().filter(t -> t.key().equals(TAG_FIRST_INDEX)).findFirst()
                .map(t -> Integer.parseInt(t.value())).orElse(0);
        return first + (instance.amiLaunchIndex() == null ? 0 : instance.amiLaunchIndex());
    }

    /** The cluster's live instances (group {@code tag}, or all), by tags, following every page. */
    private List<Instance> describe(DriverContext context, String tag) {
        List<Filter> filters = new ArrayList<>(List.of(filter("tag:" + TAG_CLUSTER, context.cluster()),
                Filter.builder().name("instance-state-name").values(LIVE_STATES).build()));
        if (tag != null) {
            filters.add(filter("tag:" + TAG_GROUP, tag));
        }
        List<Instance> instances = new ArrayList<>();
        ec2().describeInstancesPaginator(r -> r.filters(filters).maxResults(config.pageSize()))
                .reservations().forEach(reservation -> instances.addAll(reservation.instances()));
        return instances;
    }

    private List<Instance> describeIds(List<String> ids) {
        List<Instance> instances = new ArrayList<>();
        ec2().describeInstances(r -> r.instanceIds(ids)).reservations().forEach(r -> instances.addAll(r.instances()));
        return instances;
    }

    /** The host key cloud-init prints to the console; polled, because the console fills in after boot. */
    private String hostKey(String instanceId) {
        for (int poll = 0; poll < config.maxPolls(); poll++) {
            String encoded = ec2().getConsoleOutput(r -> r.instanceId(instanceId).latest(true)).output();
            if (encoded != null) {
                String console = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
                Optional<String> key = ConsoleHostKeys.pick(console);
                if (key.isPresent()) {
                    return key.get();
                }
            }
            sleep(config.pollInterval());
        }
        throw DriverException.failed("instance " + instanceId + " printed no SSH host key to its console; cannot verify it");
    }

    @Override
    public void stop(DriverContext context, String tag, List<NodeSlot> nodes) {
        List<String> ids = ids(context, tag, nodes);
        if (!ids.isEmpty()) {
            ec2().stopInstances(r -> r.instanceIds(ids));
        }
    }

    @Override
    public Map<Integer, NodeStatus> status(DriverContext context, String tag, List<NodeSlot> nodes) {
        Map<Integer, Instance> live = byIndex(describe(context, tag));
        Map<Integer, NodeStatus> statuses = new HashMap<>();
        for (NodeSlot slot : nodes) {
            Instance instance = live.get(slot.index());
            statuses.put(slot.index(), instance == null ? NodeStatus.terminated : status(instance));
        }
        return statuses;
    }

    @Override
    public void destroy(DriverContext context, String tag, List<NodeSlot> nodes) {
        List<String> ids = ids(context, tag, nodes);
        if (!ids.isEmpty()) {
            ec2().terminateInstances(r -> r.instanceIds(ids));
        }
    }

    /** Instances of the given slots, found by tags (not only by recorded id: an interrupted launch never recorded it). */
    private List<String> ids(DriverContext context, String tag, List<NodeSlot> nodes) {
        Map<Integer, Instance> live = byIndex(describe(context, tag));
        return nodes.stream().map(s -> live.get(s.index())).filter(i -> i != null).map(Instance::instanceId).toList();
    }

    @Override
    public List<DriverNode> list(DriverContext context, String tag) {
        return describe(context, tag).stream()
                .map(i -> node(context, i.tags().stream().filter(t -> t.key().equals(TAG_GROUP)).findFirst().map(Tag::value).orElse("?"), i, null))
                .toList();
    }

    /** After the instances: wait until none is left, then delete the security group (it cannot go while in use). */
    @Override
    public void cleanUp(DriverContext context) {
        List<String> remaining = ec2().describeInstancesPaginator(r -> r.filters(filter("tag:" + TAG_CLUSTER, context.cluster()))
                        .maxResults(config.pageSize())).reservations().stream()
                .flatMap(r -> r.instances().stream())
                .filter(i -> i.state().name() != InstanceStateName.TERMINATED).map(Instance::instanceId).toList();
        if (!remaining.isEmpty()) {
            ec2().terminateInstances(r -> r.instanceIds(remaining));
            ec2().waiter().waitUntilInstanceTerminated(r -> r.instanceIds(remaining), waiting());
        }
        existingSecurityGroup(context).ifPresent(id -> ec2().deleteSecurityGroup(r -> r.groupId(id)));
        Log.debugf("cleaned up EC2 resources of cluster %s", context.cluster());
    }

    private java.util.function.Consumer<WaiterOverrideConfiguration.Builder> waiting() {
        return w -> w.maxAttempts(config.maxPolls()).backoffStrategyV2(BackoffStrategy.fixedDelay(config.pollInterval()));
    }

    private DriverNode node(DriverContext context, String tag, Instance instance, String hostKey) {
        String address = instance.publicIpAddress() != null ? instance.publicIpAddress() : instance.privateIpAddress();
        return new DriverNode(tag, indexOf(instance), instance.instanceId(), address,
                context.options().getOrDefault("username", "ec2-user"), config.sshPort(), status(instance), hostKey);
    }

    private static NodeStatus status(Instance instance) {
        return switch (instance.state().name()) {
            case PENDING -> NodeStatus.pending;
            case RUNNING -> NodeStatus.running;
            case STOPPING, STOPPED -> NodeStatus.stopped;
            default -> NodeStatus.terminated;
        };
    }

    private static String groupName(DriverContext context) {
        return "maestro-" + context.cluster();
    }

    private static Filter filter(String name, String value) {
        return Filter.builder().name(name).values(value).build();
    }

    private static String code(Ec2Exception e) {
        return e.awsErrorDetails() == null ? String.valueOf(e.statusCode()) : e.awsErrorDetails().errorCode();
    }

    private static DriverException failed(String call, Ec2Exception e) {
        return new DriverException(call + " failed: " + code(e) + (e.awsErrorDetails() == null ? "" : ": " + e.awsErrorDetails().errorMessage()), e);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DriverException.failed("interrupted");
        }
    }
}
