package io.maestro.provisioner.driver.ec2;

import io.maestro.provisioner.ssh.SshKeys;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sshd of the EC2 double's instances, all of them at one address: a real SSH server (MINA) with one host key,
 * which the double prints to each instance's console. It plays a booted image: it takes the key cloud-init would have
 * authorized, and answers {@code cloud-init status --wait} as {@link #cloudInit} says; it runs nothing else.
 */
public final class Ec2NodeSshd implements AutoCloseable {
    /** What {@code cloud-init status --wait} prints and exits with. */
    public record CloudInit(String output, int exitCode) {
    }

    public static final CloudInit DONE = new CloudInit("status: done\n", 0);

    public final List<String> commands = new CopyOnWriteArrayList<>();
    public volatile CloudInit cloudInit = DONE;
    private final SshServer server;
    private final String hostKey;

    public Ec2NodeSshd(KeyPair hostKeyPair) throws IOException {
        hostKey = SshKeys.format(hostKeyPair.getPublic());
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKeyPair));
        server.setPublickeyAuthenticator((user, key, session) -> "ec2-user".equals(user));
        server.setCommandFactory((channel, command) -> new Answer(command));
        server.start();
    }

    public int port() {
        return server.getPort();
    }

    /** The host key line the double should print to consoles. */
    public String hostKey() {
        return hostKey;
    }

    public long count(String command) {
        return commands.stream().filter(command::equals).count();
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    private final class Answer implements Command {
        private final String command;
        private OutputStream out;
        private ExitCallback exit;

        Answer(String command) {
            this.command = command;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            commands.add(command);
            CloudInit answer = command.equals("cloud-init status --wait") ? cloudInit : new CloudInit("", 127);
            out.write(answer.output().getBytes(StandardCharsets.UTF_8));
            out.flush();
            exit.onExit(answer.exitCode());
        }

        @Override
        public void setInputStream(InputStream in) {
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void destroy(ChannelSession channel) {
        }
    }
}
