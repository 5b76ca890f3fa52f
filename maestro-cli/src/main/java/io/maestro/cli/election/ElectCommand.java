package io.maestro.cli.election;

import io.maestro.cli.ServiceCall;
import io.maestro.client.auth.TokenIssuer;
import io.maestro.client.election.ElectionClient;
import io.maestro.client.election.Lease;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code maestro elect GROUP -- COMMAND...}: runs the command only while this process leads the group (or holds a
 * key), and never past the lease. The command is stopped, SIGTERM then SIGKILL, before this process's lease could run
 * out (the self-fencing deadline the service keeps too): SIGTERM once half the TTL is left without a renewal, SIGKILL
 * at a sixth. It starts again when this process leads again, with a larger fencing token ({@code --once}: exit
 * instead). When the command ends on its own, this process resigns and exits with its code.
 */
@Command(name = "elect", description = "Run a command while this process leads GROUP (or holds --key): etcdctl lock, "
        + "but the command is stopped before the lease can run out, and started again when elected again.",
        footer = {"%nThe command's environment: MAESTRO_GROUP, MAESTRO_KEY (with --key), MAESTRO_FENCING_TOKEN (pass it",
                "to what you write, so stale leaders are refused) and MAESTRO_LEASE_DEADLINE (the lease's end when it",
                "started, ISO-8601; renewed while it runs).",
                "%nExamples:%n  maestro elect nightly-report -- ./report.sh",
                "  maestro elect shards --key shard-7 --ttl 5s -- ./consume --shard 7",
                "  maestro elect migrations --once -- ./migrate.sh"})
public class ElectCommand extends ServiceCall implements Callable<Integer> {
    private static final long POLL_MILLIS = 20;
    /**
     * The command runs under a small sh watchdog, so that it never outlives this process, even after {@code kill -9}
     * (which no hook sees): every 50 ms the watchdog looks for this process, and when it is gone it sends the command
     * SIGTERM, then SIGKILL after a sixth of the TTL, well before the lease this process held can run out. A SIGTERM
     * to the watchdog goes on to the command; its exit code is the command's.
     * Arguments: this process's pid, the grace in seconds, then the command.
     */
    static final String WATCHDOG = """
            parent=$1; grace=$2; shift 2
            "$@" 0<&0 &
            child=$!
            trap 'kill -TERM $child 2>/dev/null; wait $child; exit $?' TERM
            while kill -0 $child 2>/dev/null; do
                if ! kill -0 $parent 2>/dev/null; then
                    kill -TERM $child 2>/dev/null; sleep $grace; kill -KILL $child 2>/dev/null; exit 137
                fi
                sleep 0.05
            done
            wait $child""";

    @Parameters(index = "0", paramLabel = "GROUP", description = "the election group")
    String group;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", description = "the command and its arguments (after --)")
    List<String> command;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "2s", description = "the lease (default ${DEFAULT-VALUE}; at least 1s)")
    String ttl;

    @Option(names = "--key", paramLabel = "KEY", description = "lead this key of the group instead of the group")
    String key;

    @Option(names = "--once", description = "exit when leadership is lost, instead of campaigning again")
    boolean once;

    @Option(names = "--id", paramLabel = "ID", description = "this candidate's id (default: host name and process id)")
    String candidateId;

    @Option(names = "--priority", paramLabel = "0-1000", defaultValue = "0",
            description = "the highest live priority leads the group; joining above the leader's takes the seat by a graceful handover (default ${DEFAULT-VALUE})")
    int priority;

    /** Exit code when leadership was lost with --once. */
    static final int LOST = 3;

    @Override
    public void run() {
        throw new UnsupportedOperationException("called through call()");
    }

    @Override
    public Integer call() throws Exception {
        Duration lease;
        try {
            lease = TokenIssuer.parseTtl(ttl);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--ttl: " + e.getMessage().replace("ttl ", ""));
        }
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ParameterException(spec.commandLine(), "--ttl: must be at least 1s");
        }
        String id = candidateId != null ? candidateId : defaultId();
        java.util.Set<String> told = java.util.concurrent.ConcurrentHashMap.newKeySet();
        if (priority < 0 || priority > 1000) {
            throw new ParameterException(spec.commandLine(), "--priority: must be between 0 and 1000");
        }
        ElectionClient unit = electionUnit(group, id).ttl(lease).priority(priority).keys(key == null ? List.of() : List.of(key))
                .releaseOnShutdown(false) // the command stops first: see the hook below
                .onError(e -> {
                    if (told.add(String.valueOf(e.getMessage()))) { // each problem once; the unit keeps trying
                        spec.commandLine().getErr().println("maestro elect: " + e.getMessage());
                        spec.commandLine().getErr().flush();
                    }
                })
                .start();
        Supervisor supervisor = new Supervisor(unit, lease);
        Thread hook = new Thread(supervisor::shutdown, "maestro-elect-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return supervisor.supervise();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
            unit.quit();
        }
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "host";
        }
        String id = (host + "-" + ProcessHandle.current().pid()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        return id.replaceAll("^[^a-z0-9]+", "");
    }

    /** Starts, watches and stops the command; on this (the command's) thread. */
    private final class Supervisor {
        private final ElectionClient unit;
        private final long ttlNanos;
        private Process child;
        private long childToken;
        private long lastDeadlineNanos;
        private volatile boolean stopping;

        Supervisor(ElectionClient unit, Duration ttl) {
            this.unit = unit;
            this.ttlNanos = ttl.toNanos();
        }

        private Optional<Lease> held() {
            return key == null ? unit.lease() : unit.lease(key);
        }

        int supervise() throws Exception {
            while (!stopping) {
                Optional<Lease> held = held();
                held.ifPresent(l -> lastDeadlineNanos = l.deadlineNanos());
                if (child == null) {
                    if (held.isPresent() && remaining(held.get().deadlineNanos()) > ttlNanos / 2) {
                        start(held.get());
                    }
                } else if (!child.isAlive()) {
                    int code = child.exitValue();
                    err("the command exited with " + code + "; resigning");
                    return code;
                } else if (held.isEmpty() || held.get().fencingToken() != childToken || remaining(lastDeadlineNanos) < ttlNanos / 2) {
                    stop("leadership of " + subject() + " is lost or not renewed");
                    if (once) {
                        return LOST;
                    }
                }
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            }
            return child == null ? 0 : stopAndCode("this process is stopping");
        }

        private void start(Lease lease) throws Exception {
            List<String> watched = new java.util.ArrayList<>(List.of("sh", "-c", WATCHDOG, "maestro-elect",
                    Long.toString(ProcessHandle.current().pid()), String.format(Locale.ROOT, "%.3f", ttlNanos / 6 / 1e9)));
            watched.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(watched).inheritIO();
            builder.environment().put("MAESTRO_GROUP", group);
            if (key != null) {
                builder.environment().put("MAESTRO_KEY", key);
            }
            builder.environment().put("MAESTRO_FENCING_TOKEN", Long.toString(lease.fencingToken()));
            builder.environment().put("MAESTRO_LEASE_DEADLINE", Instant.now().plus(lease.remaining()).toString());
            child = builder.start();
            childToken = lease.fencingToken();
            err("leading " + subject() + " with fencing token " + childToken + ": started the command (pid " + child.pid() + ")");
        }

        /** SIGTERM now, SIGKILL once a sixth of the TTL is left of the last lease, so it is gone before the lease. */
        private void stop(String why) throws InterruptedException {
            err(why + ": stopping the command (SIGTERM)");
            child.destroy();
            long killAt = lastDeadlineNanos - ttlNanos / 6;
            long wait = Math.max(0, killAt - System.nanoTime());
            if (!child.waitFor(wait, TimeUnit.NANOSECONDS)) {
                err("the command is still running: SIGKILL");
                kill(child);
            }
            child = null;
        }

        private int stopAndCode(String why) throws InterruptedException {
            Process running = child;
            stop(why);
            return running.exitValue();
        }

        /** On SIGTERM or the end of this JVM: the command stops first, then the unit resigns (in call's finally). */
        void shutdown() {
            stopping = true;
            Process running = child;
            if (running != null && running.isAlive()) {
                running.destroy();
                try {
                    if (!running.waitFor(Math.max(0, lastDeadlineNanos - ttlNanos / 6 - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        kill(running);
                    }
                } catch (InterruptedException e) {
                    kill(running);
                }
            }
            unit.quit();
        }

        /** SIGKILL to the command and whatever it started, then to its watchdog. */
        private void kill(Process process) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private long remaining(long deadlineNanos) {
            return deadlineNanos - System.nanoTime();
        }

        private String subject() {
            return key == null ? "group " + group : "key " + key + " of group " + group;
        }

        private void err(String message) {
            spec.commandLine().getErr().println("maestro elect: " + message);
            spec.commandLine().getErr().flush();
        }
    }
}
