package io.maestro.client.provisioner;

import java.util.Map;

/** Where a group's nodes run, with the driver's options ({@code imageId}, {@code instanceType}, ... for EC2). */
public record Driver(String name, Map<String, String> options) {
    public Driver {
        options = Map.copyOf(options);
    }

    /** Nodes on this machine, each an SSH server of its own (tinycloud's local driver). */
    public static Driver local() {
        return new Driver("local", Map.of());
    }

    /** AWS EC2 instances; {@code imageId} is required, the provisioner's README lists the rest. */
    public static Driver awsEc2(Map<String, String> options) {
        return new Driver("aws-ec2", options);
    }
}
