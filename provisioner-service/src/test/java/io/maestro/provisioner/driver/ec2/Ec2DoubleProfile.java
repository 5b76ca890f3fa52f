package io.maestro.provisioner.driver.ec2;

import io.maestro.provisioner.TestKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;

/**
 * The provisioner with its aws-ec2 driver pointed at the EC2 double, whose instances all answer SSH at one loopback
 * sshd ({@link Ec2NodeSshd}); operator prices for two types. Tests sharing this profile share one service.
 */
public final class Ec2DoubleProfile implements QuarkusTestProfile {
    public static Ec2TestDouble ec2;
    public static Ec2NodeSshd sshd;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("provisioner.ec2.ssh-cidrs", "198.51.100.0/24", "provisioner.instance-prices", "c5.large=0.1,m5.large=0.2",
                "provisioner.ec2.poll-interval", "50ms");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Started.class));
    }

    /** The double and its sshd, started before the service so their addresses are in its configuration. */
    public static final class Started implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            // Picked up by the SDK's default provider chain, like any deployment's credentials.
            System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
            System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
            try {
                KeyPair hostKey = TestKeys.userKeyPair();
                sshd = new Ec2NodeSshd(hostKey);
                ec2 = new Ec2TestDouble();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ec2.nodeAddress = "127.0.0.1";
            ec2.nodeHostKey = sshd.hostKey();
            return Map.of("provisioner.ec2.endpoint-override", ec2.endpoint().toString(),
                    "provisioner.ec2.ssm-endpoint-override", ec2.endpoint().toString(),
                    "provisioner.ec2.ssh-port", Integer.toString(sshd.port()));
        }

        @Override
        public void stop() {
            ec2.close();
            try {
                sshd.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
