package io.maestro.localstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** A server process of the local stack: started, probed until ready, stopped with its own signal. */
public abstract class ManagedServer {
    protected final String name;
    protected final Path workDir;
    protected final int port;
    private volatile Process process;
    private volatile boolean ready;
    /** Set by {@link #stop()}: the process ended because it was asked to. */
    private volatile boolean stopped;
    private volatile Duration startTime = Duration.ZERO;

    protected ManagedServer(String name, Path workDir, int port) {
        this.name = name;
        this.workDir = workDir;
        this.port = port;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return workDir.resolve(name + ".log");
    }

    public Duration startTime() {
        return startTime;
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long rssKib() {
        return isAlive() ? ChildProcesses.rssKib(process.pid()) : 0;
    }

    /**
     * Starts the server and returns once {@link #isReady()} holds and the ready answer came from this server's own
     * process (it listens on {@link #port()} itself, not some other server that holds the port); fails with the log's
     * tail when the process exits first or the timeout passes.
     */
    public final void start(Duration timeout) throws IOException {
        start(timeout, () -> false);
    }

    void start(Duration timeout, BooleanSupplier abandoned) throws IOException {
        Instant begin = Instant.now();
        stopped = false;
        ready = false;
        Process launched = launch();
        process = launched;
        Instant deadline = begin.plus(timeout);
        boolean answeredByAnother = false;
        while (true) {
            if (!launched.isAlive()) {
                throw new IOException(name + " exited with " + launched.exitValue() + " before it was ready; log "
                        + log() + ":\n" + ChildProcesses.tail(log(), 15));
            }
            if (isReady()) {
                if (Ports.isListenedToBy(launched.pid(), port).orElse(true)) {
                    break;
                }
                answeredByAnother = true; // another process holds the port; ours will likely fail to bind
            }
            if (abandoned.getAsBoolean()) {
                stop();
                throw new IOException(name + " not started: another server failed to start");
            }
            if (Instant.now().isAfter(deadline)) {
                stop();
                String other = answeredByAnother ? "; port " + port + " answers, but from pid " + Ports.listeners(port)
                        + ", not from " + name + " (pid " + launched.pid() + ")" : "";
                throw new IOException(name + " not ready within " + timeout.toSeconds() + " s" + other + "; log " + log()
                        + ":\n" + ChildProcesses.tail(log(), 15));
            }
            sleep(50);
        }
        startTime = Duration.between(begin, Instant.now());
        ready = true;
    }

    /** {@code starting}, {@code running}, {@code stopped} or {@code dead (exit N)}: what a status report shows. */
    public String state() {
        Process current = process;
        if (current == null) {
            return "not started";
        }
        if (current.isAlive()) {
            return ready ? "running" : "starting";
        }
        return stopped ? "stopped" : "dead (exit " + current.exitValue() + ")";
    }

    /** Asks the server to stop with its preferred signal, then kills it if it lingers. */
    public void stop() {
        stopped = true;
        Process process = this.process;
        if (process == null || !process.isAlive()) {
            return;
        }
        ChildProcesses.signal(process.pid(), stopSignal());
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the server at once ({@code SIGKILL}), as a crash would: it gets no chance to clean up. */
    public void kill() {
        Process process = this.process;
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts {@code servers} in parallel and waits until all are ready. The first failure ends the others' starts at
     * once (they are stopped) and is thrown as is, naming its server and log.
     */
    public static void startAll(List<? extends ManagedServer> servers, Duration timeout) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, servers.size()), r -> {
            Thread t = new Thread(r, "local-stack-start");
            t.setDaemon(true);
            return t;
        });
        AtomicReference<IOException> firstFailure = new AtomicReference<>();
        try {
            List<CompletableFuture<Void>> starts = servers.stream().map(server -> CompletableFuture.runAsync(() -> {
                try {
                    server.start(timeout, () -> firstFailure.get() != null);
                } catch (IOException | RuntimeException e) {
                    firstFailure.compareAndSet(null, e instanceof IOException io ? io : new IOException(server.name() + ": " + e, e));
                }
            }, pool)).toList();
            // Every start ends soon after a failure, its process stopped, so none is left running unseen.
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdown();
        }
        if (firstFailure.get() != null) {
            throw firstFailure.get();
        }
    }

    protected abstract Process launch() throws IOException;

    protected abstract boolean isReady();

    /** The signal for a clean, quick stop; also sent if this JVM dies. */
    protected abstract String stopSignal();

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
