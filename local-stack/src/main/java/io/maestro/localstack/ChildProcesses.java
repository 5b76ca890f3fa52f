package io.maestro.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts server processes so that none outlives this JVM, even after {@code kill -9}.
 *
 * <p>Each child is wrapped in {@code setpriv --pdeathsig SIG}: the kernel signals the child when the
 * thread that forked it dies. That is the <em>thread</em>, not the process, so every fork happens on one
 * dedicated thread that lives as long as the JVM; a pool thread that retires would kill its children.
 */
public final class ChildProcesses {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    /** Unprivileged identity for servers that refuse to run as root (PostgreSQL). */
    public static final String UNPRIVILEGED_ID = "65534";

    private static final ExecutorService FORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "local-stack-forker");
        t.setDaemon(true);
        return t;
    });

    private ChildProcesses() {
    }

    /** Whether children die with this JVM (setpriv is there); without it only a clean stop ends them. */
    public static boolean hasDeathSignal() {
        return Files.isExecutable(SETPRIV);
    }

    public static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Starts {@code command} with output appended to {@code log}.
     *
     * @param deathSignal the signal the child gets when this JVM dies, e.g. TERM, INT
     * @param dropRoot    run as an unprivileged user when this JVM runs as root
     */
    public static Process start(List<String> command, Path workDir, Path log, String deathSignal, boolean dropRoot) throws IOException {
        return start(command, workDir, log, deathSignal, dropRoot, Map.of());
    }

    /** As {@link #start(List, Path, Path, String, boolean)}, with extra environment variables. */
    public static Process start(List<String> command, Path workDir, Path log, String deathSignal, boolean dropRoot,
                                Map<String, String> environment) throws IOException {
        List<String> full = new ArrayList<>();
        if (hasDeathSignal()) {
            full.addAll(List.of(SETPRIV.toString(), "--pdeathsig", deathSignal));
            if (dropRoot && runningAsRoot()) {
                // dac_read_search lets the unprivileged server reach its directory through private (0700) parents.
                full.addAll(List.of("--reuid=" + UNPRIVILEGED_ID, "--regid=" + UNPRIVILEGED_ID, "--clear-groups",
                        "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"));
            }
            full.add("--");
        } else if (dropRoot && runningAsRoot()) {
            throw new IOException("cannot drop root privileges for " + command.get(0) + ": " + SETPRIV + " is missing (install util-linux)");
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Future<Process> forked = FORKER.submit(builder::start);
        try {
            return forked.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + command.get(0), e);
        }
    }

    /** Runs a short-lived command to completion, failing with the tail of its log when it fails. */
    public static void run(List<String> command, Path workDir, Path log, boolean dropRoot) throws IOException {
        Process process = start(command, workDir, log, "KILL", dropRoot);
        try {
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IOException(command.get(0) + " exited with " + exit + ": " + tail(log, 10));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }

    /** Sends a POSIX signal by name (INT, TERM); Process.destroy() only knows TERM. */
    public static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Resident set size in KiB of a process and its descendants, from /proc; 0 when unknown. */
    public static long rssKib(long pid) {
        long total = readRss(pid);
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            total += readRss(child.pid());
        }
        return total;
    }

    private static long readRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone or not Linux
        }
        return 0;
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }
}
