package io.maestro.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./maestro up}: the local stack on the default ports plus the four services built from this
 * checkout, until this JVM is told to stop (Ctrl-C, {@code ./maestro down}) or dies (the death signal).
 *
 * <p>Writes into its directory: {@code stack.env} (every address and the admin token, as environment variables),
 * {@code auth/} (the suite's signing key pair and tokens, see {@link SuiteAuth}),
 * {@code runner.pid}, {@code runner.state} ({@code STARTING}, {@code READY}, {@code DEGRADED: which server died}
 * or {@code FAILED: reason}), {@code servers.state} (one line per server, kept up to date every second:
 * name, pid, state, address, log) and each server's log under its own subdirectory.
 *
 * <p>The services run with the normal JIT: C1-only start-up ({@code Suite}'s {@code fastStart}) is for tests.
 */
public final class SuiteRunner {
    private static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(90);
    static final String SERVERS_STATE = "servers.state";

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(".").toAbsolutePath().normalize();
        Path dir = repo.resolve(".maestro");
        boolean fresh = false;
        boolean stackOnly = false;
        boolean freePorts = false;
        boolean secure = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fresh" -> fresh = true;
                case "--stack-only" -> stackOnly = true;
                case "--free-ports" -> freePorts = true;
                case "--secure" -> secure = true;
                case "--dir" -> dir = Path.of(args[++i]).toAbsolutePath();
                case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath();
                default -> {
                    System.err.println("unknown option " + args[i] + "; usage: SuiteRunner [--fresh] [--stack-only] [--free-ports] [--secure] [--dir D] [--repo R]");
                    System.exit(2);
                }
            }
        }
        new SuiteRunner(repo, dir, freePorts, secure).run(fresh, stackOnly);
    }

    private final Path repo;
    private final Path dir;
    private final List<ManagedServer> running = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Suite suite;
    private volatile boolean ready;

    private final boolean freePorts;
    private final boolean secure;
    /** The console's sign-in link for the local admin, made afresh by each run (owner-only). */
    static final String CONSOLE_LINK_FILE = "console.link";
    private String consoleCode;

    /** A new secret for the console's sign-in link: the link of an earlier run stops working. */
    private String loginCode() {
        byte[] bytes = new byte[24];
        new java.security.SecureRandom().nextBytes(bytes);
        consoleCode = java.util.HexFormat.of().formatHex(bytes);
        return consoleCode;
    }

    /** Which kind of stack made the data in the directory: a secured stack cannot start on a plaintext one's data. */
    static final String MODE_FILE = "stack.mode";

    SuiteRunner(Path repo, Path dir, boolean freePorts) {
        this(repo, dir, freePorts, false);
    }

    SuiteRunner(Path repo, Path dir, boolean freePorts, boolean secure) {
        this.repo = repo;
        this.dir = dir;
        this.freePorts = freePorts;
        this.secure = secure;
    }

    void run(boolean fresh, boolean stackOnly) throws Exception {
        Instant begin = Instant.now();
        if (fresh) {
            Directories.deleteTree(dir);
        }
        Files.createDirectories(dir);
        LocalStack.writeAtomically(dir.resolve("runner.pid"), ProcessHandle.current().pid() + "\n");
        LocalStack.writeAtomically(dir.resolve("runner.state"), "STARTING\n");
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "maestro-stop"));
        Thread watcher = new Thread(this::watch, "maestro-watch");
        watcher.setDaemon(true);
        watcher.start();
        try {
            checkMode(dir, secure);
            LocalStack stack = freePorts ? new LocalStack(dir, 0, 0, 0, secure) : new LocalStack(dir, 9092, 6379, 5432, secure);
            synchronized (running) {
                running.addAll(stack.servers());
            }
            stack.start();
            System.out.printf("stack ready in %.1f s%n", stack.startTime().toMillis() / 1000.0);
            Map<String, String> env = new LinkedHashMap<>(stack.environment());
            List<ServiceProcess> services = List.of();
            if (!stackOnly) {
                Suite suite = new Suite(stack, repo, dir, freePorts, 1, Map.of(), false);
                if (secure) {
                    System.out.printf("secured: TLS on every connection, a user per service; certificates and passwords in %s%n",
                            stack.security().dir());
                }
                synchronized (running) {
                    running.addAll(suite.services());
                    this.suite = suite;
                }
                services = new ArrayList<>(suite.start(SERVICE_READY_TIMEOUT).services());
                env.putAll(suite.environment());
                ServiceProcess console = suite.console(freePorts, loginCode(), false);
                synchronized (running) {
                    running.add(console);
                }
                console.start(SERVICE_READY_TIMEOUT);
                services.add(console);
                env.put("MAESTRO_CONSOLE_URL", console.url());
                // The console first: it is where a person starts. The link signs in as the local admin (owner-only file too).
                String link = console.url() + "/login/link?code=" + consoleCode;
                LocalStack.writeAtomically(dir.resolve(CONSOLE_LINK_FILE), link + "\n", true);
                System.out.printf("%nconsole: %s%n  sign in as the local admin: %s%n", console.url(), link);
            }
            writeEnvironment(env);
            System.out.println(table(stack, services));
            if (suite != null) {
                System.out.printf("access: the admin token of %s is in %s (the CLI uses it; MAESTRO_TOKEN in stack.env)%n",
                        System.getProperty("user.name"), suite.auth().dir().resolve(SuiteAuth.ADMIN_TOKEN_FILE));
            }
            System.out.printf("all ready in %.1f s; addresses in %s; stop with Ctrl-C or ./maestro down%n",
                    Duration.between(begin, Instant.now()).toMillis() / 1000.0, dir.resolve("stack.env"));
            writeServersState();
            LocalStack.writeAtomically(dir.resolve("runner.state"), "READY\n");
            ready = true;
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            LocalStack.writeAtomically(dir.resolve("runner.state"), "FAILED: " + reason.lines().findFirst().orElse("") + "\n");
            System.err.println("maestro up failed: " + reason);
            stopAll();
            System.exit(1);
        }
        stopped.await();
    }

    /** Refuses to start a secured stack on a plaintext stack's data, or the other way round, naming the fix. */
    static void checkMode(Path dir, boolean secure) throws IOException {
        String wanted = secure ? "secured" : "plaintext";
        Path file = dir.resolve(MODE_FILE);
        boolean hasData = Files.exists(dir.resolve("kafka")) || Files.exists(dir.resolve("postgres"));
        String existing = Files.exists(file) ? Files.readString(file).trim() : hasData ? "plaintext" : null;
        if (existing != null && !existing.equals(wanted)) {
            throw new IOException(dir + " holds the data of a " + existing + " stack; start with --fresh to make a "
                    + wanted + " one (its data is deleted)");
        }
        LocalStack.writeAtomically(file, wanted + "\n");
    }

    private void writeEnvironment(Map<String, String> env) throws IOException {
        StringBuilder out = new StringBuilder("# written by ./maestro up; source it with: set -a; . .maestro/stack.env; set +a\n");
        env.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        // owner-only: it holds the database password and the admin token
        LocalStack.writeAtomically(dir.resolve("stack.env"), out.toString(), true);
    }

    private static String table(LocalStack stack, List<ServiceProcess> services) {
        StringBuilder out = new StringBuilder(String.format("%n%-20s %-40s %-8s %-9s %s%n", "SERVER", "ADDRESS", "PID", "RSS MiB", "LOG"));
        List<ManagedServer> servers = new ArrayList<>(stack.servers());
        servers.addAll(services);
        for (ManagedServer server : servers) {
            out.append(String.format("%-20s %-40s %-8d %-9d %s%n", server.name(), address(server), server.pid(), server.rssKib() / 1024, server.log()));
        }
        for (ServiceProcess service : services) {
            if (!service.name().equals("console")) {
                out.append(String.format("%n%s: %s/q/swagger-ui  %s/q/health/ready", service.name(), service.url(), service.url()));
            }
        }
        return out.toString();
    }

    private static String address(ManagedServer server) {
        return server instanceof KafkaServer k ? k.bootstrapServers()
                : server instanceof RedisServer r ? r.url()
                : server instanceof PostgresServer p ? p.reactiveUrl("postgres")
                : server instanceof ServiceProcess s ? s.url() : Ports.LOOPBACK + ":" + server.port();
    }

    /**
     * Every second until the stop: writes each server's own state to {@code servers.state}, and once the suite was
     * ready, reports a server that died on its own (stderr and {@code runner.state}), naming its log.
     */
    private void watch() {
        List<ManagedServer> reported = new ArrayList<>();
        try {
            while (!stopped.await(1, TimeUnit.SECONDS)) {
                synchronized (running) {
                    for (ManagedServer server : running) {
                        if (ready && !server.isAlive() && !reported.contains(server)) {
                            reported.add(server);
                            String death = server.name() + " " + server.state() + "; see " + server.log();
                            System.err.println(death);
                            LocalStack.writeAtomically(dir.resolve("runner.state"), "DEGRADED: " + death + "\n");
                        }
                    }
                    writeServersState();
                }
            }
        } catch (IOException e) {
            System.err.println("cannot write " + dir.resolve(SERVERS_STATE) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One line per server: name, pid, state, address, log (tab-separated); left alone once stopAll emptied the list. */
    private void writeServersState() throws IOException {
        synchronized (running) {
            if (running.isEmpty()) {
                return;
            }
            StringBuilder state = new StringBuilder("# name\tpid\tstate\taddress\tlog; written by ./maestro up every second\n");
            for (ManagedServer server : running) {
                state.append(String.join("\t", server.name(), Long.toString(server.pid()), server.state(),
                        address(server), server.log().toString())).append('\n');
            }
            LocalStack.writeAtomically(dir.resolve(SERVERS_STATE), state.toString());
        }
    }

    /** Services first (they hold connections), then the stack. */
    private void stopAll() {
        List<ManagedServer> toStop;
        Suite services;
        synchronized (running) {
            toStop = new ArrayList<>(running);
            running.clear();
            services = suite;
            suite = null;
        }
        if (toStop.isEmpty()) {
            return;
        }
        System.out.println("stopping ...");
        if (services != null) {
            services.close();
        }
        toStop.stream().filter(s -> !(s instanceof ServiceProcess)).parallel().forEach(ManagedServer::stop);
        try {
            Files.deleteIfExists(dir.resolve("runner.pid"));
            Files.deleteIfExists(dir.resolve(SERVERS_STATE));
            Files.deleteIfExists(dir.resolve(CONSOLE_LINK_FILE));
            LocalStack.writeAtomically(dir.resolve("runner.state"), "STOPPED\n");
        } catch (IOException e) {
            // best effort
        }
        stopped.countDown();
        System.out.println("stopped");
    }
}
