package io.maestro.provisioner.driver.ec2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.maestro.provisioner.TestKeys;
import io.maestro.provisioner.ssh.SshKeys;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small EC2 on loopback speaking the Query API wire format (form POST in, 2016-11-15 XML out) and behaving like
 * EC2 where it matters: instances are pending for a while, unknown to DescribeInstances-by-id right after launch,
 * a ClientToken replays its reservation, bursts are throttled, DescribeInstances pages with NextToken, DryRun answers
 * DryRunOperation, a security group in use cannot be deleted, and capacity may run short
 * ({@link #limit}): RunInstances then launches what fits, at least MinCount, or answers InsufficientInstanceCapacity.
 */
public final class Ec2TestDouble implements AutoCloseable {
    private static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    /** One API call as the double saw it. */
    public record Call(String action, boolean dryRun, Map<String, String> params, String answer) {
    }

    public static final class FakeInstance {
        final String id;
        final String imageId;
        final int launchIndex;
        final Map<String, String> tags;
        String instanceType = "t3.micro";
        String subnet;
        String zone = "us-east-1a";
        String market = "on-demand";
        String securityGroup;
        String hostKey = SshKeys.format(TestKeys.userKeyPair().getPublic());
        String state = "pending";
        int pollsUntilSettled = 2;
        int notFoundPolls = 1;

        FakeInstance(String id, String imageId, int launchIndex, Map<String, String> tags) {
            this.id = id;
            this.imageId = imageId;
            this.launchIndex = launchIndex;
            this.tags = tags;
        }
    }

    /** Room for instances of a type, in a subnet or zone, in a market (spot or on-demand); null matches any. */
    private static final class Capacity {
        final String instanceType;
        final String location;
        final String market;
        int room;

        Capacity(String instanceType, String location, String market, int room) {
            this.instanceType = instanceType;
            this.location = location;
            this.market = market;
            this.room = room;
        }

        boolean matches(String type, String where, String marketType) {
            return (instanceType == null || instanceType.equals(type)) && (location == null || location.equals(where))
                    && (market == null || market.equals(marketType));
        }
    }

    private final List<Capacity> capacity = new CopyOnWriteArrayList<>();
    /** The address every instance reports (a test's SSH server), instead of one of 203.0.113.0/24. */
    public volatile String nodeAddress;
    /** The host key every new instance prints to its console (that server's), instead of one of its own. */
    public volatile String nodeHostKey;

    /**
     * From now on EC2 has room for only {@code room} more instances of {@code instanceType} in {@code location} (a
     * subnet or zone) in {@code market}; null matches any. The first limit that matches a request applies.
     */
    public synchronized void limit(String instanceType, String location, String market, int room) {
        capacity.add(new Capacity(instanceType, location, market, room));
    }

    private record Reservation(String id, String token, int count, String imageId, List<FakeInstance> instances) {
    }

    public final List<Call> calls = new CopyOnWriteArrayList<>();
    public final Map<String, FakeInstance> instances = new LinkedHashMap<>();
    final Map<String, String> securityGroups = new LinkedHashMap<>();
    final Map<String, List<String>> ingress = new LinkedHashMap<>();
    private final Map<String, Reservation> byToken = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final HttpServer server;
    volatile int throttleNext;
    volatile boolean loseNextRunInstancesResponse;

    public Ec2TestDouble() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** SSM's JSON protocol: {@code X-Amz-Target: AmazonSSM.GetParameter}, a JSON body in and out. */
    private void ssm(HttpExchange exchange, String target) throws IOException {
        var request = new com.fasterxml.jackson.databind.ObjectMapper().readTree(exchange.getRequestBody().readAllBytes());
        String name = request.path("Name").asText();
        String value = target.equals("AmazonSSM.GetParameter") ? ssmParameters.get(name) : null;
        int status = value == null ? 400 : 200;
        String body = value == null
                ? "{\"__type\":\"ParameterNotFound\",\"message\":\"Parameter " + name + " not found.\"}"
                : "{\"Parameter\":{\"Name\":\"" + name + "\",\"Type\":\"String\",\"Value\":\"" + value + "\",\"Version\":1}}";
        calls.add(new Call("ssm:" + target.substring(target.indexOf('.') + 1), false, Map.of("Name", name), status == 200 ? "ok" : "ParameterNotFound"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    public long count(String action) {
        return calls.stream().filter(c -> c.action().equals(action)).count();
    }

    /** SSM parameters the double answers GetParameter with (AWS's public image pointers, in the tests). */
    public final Map<String, String> ssmParameters = new java.util.concurrent.ConcurrentHashMap<>(Map.of(
            "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "ami-0a1b2c3d4e5f67890"));

    private synchronized void handle(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            ssm(exchange, target);
            return;
        }
        Map<String, String> p = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String action = p.getOrDefault("Action", "");
        boolean dryRun = "true".equals(p.get("DryRun"));
        String[] answer;
        if (throttleNext > 0) {
            throttleNext--;
            answer = error(503, "RequestLimitExceeded", "Request limit exceeded.");
        } else if (dryRun) {
            answer = error(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
        } else {
            answer = switch (action) {
                case "RunInstances" -> runInstances(p);
                case "DescribeInstances" -> describeInstances(p);
                case "GetConsoleOutput" -> consoleOutput(p);
                case "TerminateInstances" -> changeState(p, "TerminateInstancesResponse", "shutting-down");
                case "StopInstances" -> changeState(p, "StopInstancesResponse", "stopping");
                case "StartInstances" -> changeState(p, "StartInstancesResponse", "pending");
                case "CreateSecurityGroup" -> createSecurityGroup(p);
                case "DescribeSecurityGroups" -> describeSecurityGroups(p);
                case "AuthorizeSecurityGroupIngress" -> authorize(p);
                case "DeleteSecurityGroup" -> deleteSecurityGroup(p);
                default -> error(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
            };
        }
        calls.add(new Call(action, dryRun, p, answer[0].equals("200") ? "ok" : answer[2]));
        byte[] body = answer[1].getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/xml;charset=UTF-8");
        exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private String[] runInstances(Map<String, String> p) {
        String token = p.get("ClientToken");
        int count = Integer.parseInt(p.get("MaxCount"));
        Reservation earlier = token == null ? null : byToken.get(token);
        if (earlier != null) {
            if (earlier.count() != count || !earlier.imageId().equals(p.get("ImageId"))) {
                return error(400, "IdempotentParameterMismatch", "The client token has been used with different parameters.");
            }
            return ok("RunInstancesResponse", reservationBody(earlier));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (int t = 1; p.containsKey("TagSpecification.1.Tag." + t + ".Key"); t++) {
            tags.put(p.get("TagSpecification.1.Tag." + t + ".Key"), p.get("TagSpecification.1.Tag." + t + ".Value"));
        }
        String type = p.getOrDefault("InstanceType", "m1.small");
        String subnet = p.get("SubnetId");
        String location = subnet != null ? subnet : p.get("Placement.AvailabilityZone");
        String market = "spot".equals(p.get("InstanceMarketOptions.MarketType")) ? "spot" : "on-demand";
        int min = Integer.parseInt(p.get("MinCount"));
        Capacity limit = capacity.stream().filter(c -> c.matches(type, location, market)).findFirst().orElse(null);
        int room = limit == null ? Integer.MAX_VALUE : limit.room;
        if (room < min) {
            return error(500, "InsufficientInstanceCapacity", "We currently do not have sufficient " + type + " capacity in the Availability Zone "
                    + "you requested. Our system will be working on provisioning additional capacity.");
        }
        int launching = Math.min(count, room);
        if (limit != null) {
            limit.room -= launching;
        }
        List<FakeInstance> launched = new ArrayList<>();
        for (int i = 0; i < launching; i++) {
            FakeInstance instance = new FakeInstance(String.format("i-%017x", ids.incrementAndGet()), p.get("ImageId"), i, tags);
            instance.instanceType = type;
            instance.subnet = subnet;
            instance.zone = p.getOrDefault("Placement.AvailabilityZone", instance.zone);
            instance.market = market;
            instance.securityGroup = p.get("SecurityGroupId.1");
            if (nodeHostKey != null) {
                instance.hostKey = nodeHostKey;
            }
            instances.put(instance.id, instance);
            launched.add(instance);
        }
        Reservation reservation = new Reservation("r-" + ids.incrementAndGet(), token, count, p.get("ImageId"), launched);
        if (token != null) {
            byToken.put(token, reservation);
        }
        if (loseNextRunInstancesResponse) {
            // The instances exist but the caller never hears of it, as after a crash or a dropped connection.
            loseNextRunInstancesResponse = false;
            return error(500, "InternalError", "An internal error has occurred.");
        }
        return ok("RunInstancesResponse", reservationBody(reservation));
    }

    private String reservationBody(Reservation reservation) {
        StringBuilder xml = new StringBuilder("<reservationId>" + reservation.id() + "</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet>");
        reservation.instances().forEach(i -> xml.append(instanceXml(i)));
        return xml.append("</instancesSet>").toString();
    }

    private String[] describeInstances(Map<String, String> p) {
        List<String> wanted = list(p, "InstanceId");
        List<FakeInstance> matching = new ArrayList<>();
        if (!wanted.isEmpty()) {
            // Right after launch, EC2 does not know the new ids yet (eventual consistency); each look brings it closer.
            String unknown = null;
            for (String id : wanted) {
                FakeInstance instance = instances.get(id);
                if (instance == null || instance.notFoundPolls-- > 0) {
                    unknown = unknown == null ? id : unknown;
                } else {
                    matching.add(instance);
                }
            }
            if (unknown != null) {
                return error(400, "InvalidInstanceID.NotFound", "The instance ID '" + unknown + "' does not exist");
            }
        } else {
            Map<String, List<String>> filters = new LinkedHashMap<>();
            for (int f = 1; p.containsKey("Filter." + f + ".Name"); f++) {
                filters.put(p.get("Filter." + f + ".Name"), list(p, "Filter." + f + ".Value"));
            }
            for (FakeInstance instance : instances.values()) {
                if (filters.entrySet().stream().allMatch(f -> f.getValue().contains(valueOf(instance, f.getKey())))) {
                    matching.add(instance);
                }
            }
        }
        matching.forEach(this::advance);
        int max = p.containsKey("MaxResults") ? Integer.parseInt(p.get("MaxResults")) : Integer.MAX_VALUE;
        if (p.containsKey("MaxResults") && (max < 5 || max > 1000)) {
            return error(400, "InvalidParameterValue", "MaxResults must be between 5 and 1000");
        }
        int from = p.containsKey("NextToken") ? Integer.parseInt(p.get("NextToken")) : 0;
        List<FakeInstance> page = matching.subList(Math.min(from, matching.size()), Math.min(matching.size(), from + Math.min(max, matching.size())));
        StringBuilder xml = new StringBuilder("<reservationSet>");
        for (FakeInstance instance : page) {
            xml.append("<item><reservationId>r-").append(instance.id).append("</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet>")
                    .append(instanceXml(instance)).append("</instancesSet></item>");
        }
        xml.append("</reservationSet>");
        if (from + page.size() < matching.size()) {
            xml.append("<nextToken>").append(from + page.size()).append("</nextToken>");
        }
        return ok("DescribeInstancesResponse", xml.toString());
    }

    private static String valueOf(FakeInstance instance, String filter) {
        if (filter.startsWith("tag:")) {
            return instance.tags.get(filter.substring(4));
        }
        return switch (filter) {
            case "instance-state-name" -> instance.state;
            case "instance-id" -> instance.id;
            default -> throw new IllegalArgumentException("filter " + filter + " not supported by the double");
        };
    }

    /** Time passes with each look: pending becomes running, stopping stopped, shutting-down terminated. */
    private void advance(FakeInstance instance) {
        if (instance.pollsUntilSettled-- > 0) {
            return;
        }
        instance.state = switch (instance.state) {
            case "pending" -> "running";
            case "stopping" -> "stopped";
            case "shutting-down" -> "terminated";
            default -> instance.state;
        };
    }

    private String[] consoleOutput(Map<String, String> p) {
        FakeInstance instance = instances.get(p.get("InstanceId"));
        String console = "cloud-init boot\n-----BEGIN SSH HOST KEY KEYS-----\n" + instance.hostKey + " root@ip-10-0-0-1\n-----END SSH HOST KEY KEYS-----\n";
        return ok("GetConsoleOutputResponse", "<instanceId>" + instance.id + "</instanceId><timestamp>2026-01-01T00:00:00.000Z</timestamp><output>"
                + Base64.getEncoder().encodeToString(console.getBytes(StandardCharsets.UTF_8)) + "</output>");
    }

    private String[] changeState(Map<String, String> p, String response, String newState) {
        StringBuilder xml = new StringBuilder("<instancesSet>");
        for (String id : list(p, "InstanceId")) {
            FakeInstance instance = instances.get(id);
            if (instance == null) {
                return error(400, "InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
            }
            String previous = instance.state;
            if (!previous.equals("terminated")) {
                instance.state = newState;
                instance.pollsUntilSettled = 1;
            }
            xml.append("<item><instanceId>").append(id).append("</instanceId><currentState>").append(state(instance.state))
                    .append("</currentState><previousState>").append(state(previous)).append("</previousState></item>");
        }
        return ok(response, xml.append("</instancesSet>").toString());
    }

    private String[] createSecurityGroup(Map<String, String> p) {
        String name = p.get("GroupName");
        if (securityGroups.containsValue(name)) {
            return error(400, "InvalidGroup.Duplicate", "The security group '" + name + "' already exists");
        }
        String id = "sg-" + ids.incrementAndGet();
        securityGroups.put(id, name);
        return ok("CreateSecurityGroupResponse", "<return>true</return><groupId>" + id + "</groupId>");
    }

    private String[] describeSecurityGroups(Map<String, String> p) {
        List<String> names = "group-name".equals(p.get("Filter.1.Name")) ? list(p, "Filter.1.Value") : List.copyOf(securityGroups.values());
        StringBuilder xml = new StringBuilder("<securityGroupInfo>");
        securityGroups.forEach((id, name) -> {
            if (names.contains(name)) {
                xml.append("<item><ownerId>123456789012</ownerId><groupId>").append(id).append("</groupId><groupName>").append(name)
                        .append("</groupName><groupDescription>d</groupDescription></item>");
            }
        });
        return ok("DescribeSecurityGroupsResponse", xml.append("</securityGroupInfo>").toString());
    }

    private String[] authorize(Map<String, String> p) {
        List<String> rules = ingress.computeIfAbsent(p.get("GroupId"), k -> new ArrayList<>());
        for (int i = 1; p.containsKey("IpPermissions." + i + ".IpProtocol"); i++) {
            String protocol = p.get("IpPermissions." + i + ".IpProtocol");
            for (String cidr : list(p, "IpPermissions." + i + ".IpRanges", "CidrIp")) {
                rules.add(protocol + ":" + p.get("IpPermissions." + i + ".FromPort") + ":" + cidr);
            }
            for (String group : list(p, "IpPermissions." + i + ".Groups", "GroupId")) {
                rules.add(protocol + ":group:" + group);
            }
        }
        return ok("AuthorizeSecurityGroupIngressResponse", "<return>true</return>");
    }

    private String[] deleteSecurityGroup(Map<String, String> p) {
        String id = p.get("GroupId");
        boolean inUse = instances.values().stream().anyMatch(i -> id.equals(i.securityGroup) && !i.state.equals("terminated"));
        if (inUse) {
            return error(400, "DependencyViolation", "resource " + id + " has a dependent object");
        }
        securityGroups.remove(id);
        ingress.remove(id);
        return ok("DeleteSecurityGroupResponse", "<return>true</return>");
    }

    private String instanceXml(FakeInstance i) {
        StringBuilder tags = new StringBuilder("<tagSet>");
        i.tags.forEach((k, v) -> tags.append("<item><key>").append(k).append("</key><value>").append(v).append("</value></item>"));
        tags.append("</tagSet>");
        return "<item><instanceId>" + i.id + "</instanceId><imageId>" + i.imageId + "</imageId><instanceState>" + state(i.state)
                + "</instanceState><privateIpAddress>10.0.0." + (i.launchIndex + 10) + "</privateIpAddress><ipAddress>"
                + (nodeAddress != null ? nodeAddress : "203.0.113." + (i.launchIndex + 10))
                + "</ipAddress><amiLaunchIndex>" + i.launchIndex + "</amiLaunchIndex><instanceType>" + i.instanceType + "</instanceType>"
                + "<placement><availabilityZone>" + i.zone + "</availabilityZone></placement>"
                + (i.subnet == null ? "" : "<subnetId>" + i.subnet + "</subnetId>")
                + (i.market.equals("spot") ? "<instanceLifecycle>spot</instanceLifecycle>" : "") + tags + "</item>";
    }

    private static String state(String name) {
        int code = switch (name) {
            case "pending" -> 0;
            case "running" -> 16;
            case "shutting-down" -> 32;
            case "terminated" -> 48;
            case "stopping" -> 64;
            default -> 80;
        };
        return "<code>" + code + "</code><name>" + name + "</name>";
    }

    private static String[] ok(String response, String body) {
        return new String[]{"200", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + response + " xmlns=\"" + NS + "\"><requestId>req-1</requestId>"
                + body + "</" + response + ">", "ok"};
    }

    private static String[] error(int status, String code, String message) {
        return new String[]{Integer.toString(status), "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>" + code
                + "</Code><Message>" + message + "</Message></Error></Errors><RequestID>req-1</RequestID></Response>", code};
    }

    private static List<String> list(Map<String, String> p, String prefix) {
        List<String> values = new ArrayList<>();
        for (int i = 1; p.containsKey(prefix + "." + i); i++) {
            values.add(p.get(prefix + "." + i));
        }
        return values;
    }

    private static List<String> list(Map<String, String> p, String prefix, String field) {
        List<String> values = new ArrayList<>();
        for (int i = 1; p.containsKey(prefix + "." + i + "." + field); i++) {
            values.add(p.get(prefix + "." + i + "." + field));
        }
        return values;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }
}
