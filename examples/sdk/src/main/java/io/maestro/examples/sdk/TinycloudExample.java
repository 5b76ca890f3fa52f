package io.maestro.examples.sdk;

import io.maestro.client.MaestroEndpoints;
import io.maestro.client.provisioner.CommandOutcome;
import io.maestro.client.provisioner.Driver;
import io.maestro.client.provisioner.ExecResult;
import io.maestro.client.provisioner.Node;
import io.maestro.client.provisioner.Tinycloud;

import java.io.PrintStream;
import java.util.Map;

/**
 * tinycloud's README example on the SDK: launch the voltron cluster, one primary and one worker, print its progress
 * and nodes, run a command on every node, then destroy it. It runs on the local driver (each node an SSH server on
 * this machine); {@code aws} as first argument launches m3.medium instances on EC2 instead, as the seed did, with
 * the provisioner's AWS credentials (this costs money).
 *
 * <pre>
 * var awsMedium = new AWS({dry: false, image: 'ami-d05e75b8', type: 'm3.medium', name: 'voltron', ports: [22, 80], key: 'mykey'})
 * var cloud = new Tinycloud([{tag: 'primary', count: 1, driver: awsMedium}, {tag: 'worker', count: 1, driver: awsMedium}])
 * cloud.launch(function (err, data) { if (err) console.log(err); if (data) console.log(data) })
 * </pre>
 */
public final class TinycloudExample {
    private TinycloudExample() {
    }

    public static void main(String[] args) {
        Driver driver = args.length > 0 && args[0].equals("aws")
                ? Driver.awsEc2(Map.of("imageId", "ami-d05e75b8", "instanceType", "m3.medium"))
                : Driver.local();
        run(MaestroEndpoints.fromEnvironment(), System.getenv(MaestroEndpoints.TOKEN_VARIABLE), driver, System.out);
    }

    public static void run(MaestroEndpoints endpoints, String token, Driver driver, PrintStream out) {
        Tinycloud cloud = Tinycloud.builder(endpoints.provisioner(), "voltron-sdk").token(token)
                .group("primary", 1, driver).group("worker", 1, driver)
                .onProgress(p -> out.println("  " + p.type() + (p.tag() == null ? "" : " " + p.tag() + "-" + p.index())))
                .build();
        out.println("launching voltron-sdk");
        CommandOutcome launched = cloud.launch();
        out.println("launch " + launched.status() + ": " + launched.message());
        if (!launched.succeeded()) {
            return; // a failed launch leaves nothing behind
        }
        try {
            for (Node node : cloud.list()) {
                out.println(node.tag() + "-" + node.index() + " " + node.status() + " at " + node.address() + ":" + node.port());
            }
            for (ExecResult result : cloud.execute("uname -s")) {
                out.println(result.tag() + "-" + result.index() + " ran uname -s: exit " + result.exitCode() + ", " + result.stdout().strip());
            }
        } finally {
            CommandOutcome destroyed = cloud.destroy();
            out.println("destroy " + destroyed.status());
        }
    }
}
