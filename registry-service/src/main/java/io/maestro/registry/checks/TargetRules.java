package io.maestro.registry.checks;

import io.maestro.registry.config.RegistryConfig;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a check may send the registry: a registrant chooses the target, so checks must not become a way into the
 * registry's network (SSRF). A check targets the host of its instance's own endpoint, or an address in
 * {@code registry.checks.allowed-networks}; loopback only when listed there; link-local and cloud metadata addresses
 * never. Applied to the names at registration and again to the address a name resolves to before every probe.
 */
@ApplicationScoped
public class TargetRules {
    /** Never probed, even when an allowed network covers them: link-local (cloud metadata) and unspecified. */
    private static final List<Named> NEVER = List.of(
            new Named(rule("169.254.0.0", 16), "169.254.0.0/16 (link-local, where cloud metadata services answer)"),
            new Named(rule("fe80::", 10), "fe80::/10 (link-local)"),
            new Named(rule("fd00:ec2::254", 128), "fd00:ec2::254 (the EC2 metadata service)"),
            new Named(rule("0.0.0.0", 8), "0.0.0.0/8 (this host, unspecified)"));

    private final List<IpSubnetFilterRule> allowed = new ArrayList<>();
    private final List<String> allowedText;

    public TargetRules(RegistryConfig config) {
        this.allowedText = config.checks().allowedNetworks().orElse(List.of());
        for (String network : allowedText) {
            allowed.add(parseNetwork(network));
        }
    }

    /** A CIDR block such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a block of one. */
    static IpSubnetFilterRule parseNetwork(String network) {
        String text = network.strip();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes == null) {
            throw new IllegalArgumentException("registry.checks.allowed-networks: '" + network + "' is not a CIDR block such as 10.0.0.0/8");
        }
        int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
        return rule(address, prefix);
    }

    private static IpSubnetFilterRule rule(String address, int prefix) {
        return new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT);
    }

    private record Named(IpSubnetFilterRule rule, String description) {
    }

    /**
     * Why a check may not target {@code host} for an instance whose endpoint's host is {@code endpointHost}, or empty
     * when it may (at registration: names only, no lookup).
     */
    public Optional<String> refusalAtRegistration(String host, String endpointHost) {
        String checked = unbracket(host).toLowerCase(Locale.ROOT);
        // localhost is loopback by definition (RFC 6761): judged as 127.0.0.1 before any lookup
        String literal = checked.equals("localhost") || checked.endsWith(".localhost") ? "127.0.0.1" : checked;
        if (NetUtil.createByteArrayFromIpAddressString(literal) != null) {
            InetAddress address = toAddress(literal);
            Optional<String> refused = refusal(address);
            if (refused.isPresent() || inAllowed(address)) {
                return refused;
            }
        }
        if (!checked.equals(unbracket(endpointHost == null ? "" : endpointHost).toLowerCase(Locale.ROOT))) {
            return Optional.of("must target the host of the instance's endpoint (" + endpointHost + ")"
                    + (allowedText.isEmpty() ? "" : " or an address in " + String.join(", ", allowedText)));
        }
        return Optional.empty();
    }

    /** Why {@code address} (what a check's host resolved to) may not be probed, or empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        InetSocketAddress socket = new InetSocketAddress(address, 0);
        for (Named never : NEVER) {
            if (never.rule().matches(socket)) {
                return Optional.of(address.getHostAddress() + " is in " + never.description() + ": never probed");
            }
        }
        if (address.isMulticastAddress() || address.isAnyLocalAddress()) {
            return Optional.of(address.getHostAddress() + " is not a host: never probed");
        }
        if (address.isLoopbackAddress() && !inAllowed(address)) {
            return Optional.of(address.getHostAddress() + " is loopback: probed only when registry.checks.allowed-networks lists it");
        }
        return Optional.empty();
    }

    private boolean inAllowed(InetAddress address) {
        InetSocketAddress socket = new InetSocketAddress(address, 0);
        return allowed.stream().anyMatch(rule -> rule.matches(socket));
    }

    private static InetAddress toAddress(String literal) {
        try {
            return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(literal));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
