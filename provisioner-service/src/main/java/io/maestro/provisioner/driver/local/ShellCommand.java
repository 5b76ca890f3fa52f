package io.maestro.provisioner.driver.local;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * An SSH exec or shell request on a local node: a real shell process in the node's home directory with the node's
 * own HOME. MINA's stock command factory runs commands without a shell (no pipes) and its stock shell has no
 * working-directory setting, hence this class.
 */
final class ShellCommand implements Command {
    private final List<String> argv;
    private final Path home;
    private final Map<String, String> environment;
    private final ExecutorService pumps;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;

    ShellCommand(List<String> argv, Path home, Map<String, String> environment, ExecutorService pumps) {
        this.argv = List.copyOf(argv);
        this.home = home;
        this.environment = Map.copyOf(environment);
        this.pumps = pumps;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(home.toFile());
        builder.environment().putAll(environment);
        Process started = builder.start();
        process = started;
        Future<?> stdout = pumps.submit(() -> pump(started.getInputStream(), out));
        Future<?> stderr = pumps.submit(() -> pump(started.getErrorStream(), err));
        pumps.submit(() -> pump(in, started.getOutputStream(), true));
        pumps.submit(() -> {
            int code;
            try {
                code = started.waitFor();
                stdout.get();
                stderr.get();
            } catch (Exception e) {
                code = 255;
            }
            exit.onExit(code);
        });
    }

    @Override
    public void destroy(ChannelSession channel) {
        Process running = process;
        if (running != null && running.isAlive()) {
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
        }
    }

    private static void pump(InputStream from, OutputStream to) {
        pump(from, to, false);
    }

    private static void pump(InputStream from, OutputStream to, boolean closeTarget) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = from.read(buffer)) >= 0; ) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException ignored) {
            // the process or the channel went away; the exit callback reports the outcome
        } finally {
            if (closeTarget) {
                try {
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }
    }
}
