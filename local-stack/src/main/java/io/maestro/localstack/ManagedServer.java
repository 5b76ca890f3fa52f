package io.maestro.localstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A server process of the local stack: started, probed until ready, stopped with its own signal. */
public abstract class ManagedServer {
    protected final String name;
    protected final Path workDir;
    protected final int port;
    private Process process;
    private Duration startTime = Duration.ZERO;

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

    /** Starts the server and returns once {@link #isReady()} holds, or fails with the log's tail. */
    public final void start(Duration timeout) throws IOException {
        Instant begin = Instant.now();
        process = launch();
        Instant deadline = begin.plus(timeout);
        while (!isReady()) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " before it was ready; log "
                        + log() + ":\n" + ChildProcesses.tail(log(), 15));
            }
            if (Instant.now().isAfter(deadline)) {
                stop();
                throw new IOException(name + " not ready within " + timeout.toSeconds() + " s; log " + log() + ":\n"
                        + ChildProcesses.tail(log(), 15));
            }
            sleep(50);
        }
        startTime = Duration.between(begin, Instant.now());
    }

    /** Asks the server to stop with its preferred signal, then kills it if it lingers. */
    public void stop() {
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
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts {@code servers} in parallel and waits until all are ready; the first failure is thrown as is. */
    public static void startAll(List<? extends ManagedServer> servers, Duration timeout) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, servers.size()), r -> {
            Thread t = new Thread(r, "local-stack-start");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<Void>> starts = servers.stream().map(server -> CompletableFuture.runAsync(() -> {
                try {
                    server.start(timeout);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, pool)).toList();
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IOException(e.getCause());
        } finally {
            pool.shutdown();
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
