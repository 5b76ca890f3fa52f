package io.maestro.provisioner.service;

import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningCommand.GroupSpec;
import io.maestro.provisioner.config.ProvisionerConfig;
import io.maestro.provisioner.driver.ClusterDriver;
import io.maestro.provisioner.driver.DriverException;
import io.maestro.provisioner.driver.DriverRegistry;
import io.maestro.provisioner.expiry.TimeToLive;
import io.maestro.provisioner.repository.ClusterRepository;
import io.maestro.provisioner.ssh.SshKeys;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a command at the edge (REST or Kafka) so a caller's mistake is a 400 naming the field and the rule. */
@ApplicationScoped
public class CommandValidator {
    static final int MAX_GROUPS = 64;
    static final int MAX_COMMAND_LENGTH = 16 * 1024;
    /** On how many nodes at once an exec runs when the request does not say, and at most. */
    public static final int DEFAULT_EXEC_FORKS = 32;
    public static final int MAX_EXEC_FORKS = 256;
    static final int MAX_KEY_LENGTH = 16 * 1024;
    /**
     * Command ids: 1 to 128 letters, digits, '.', '_', ':' and '-', starting with a letter or digit (a UUID fits).
     * They go into URLs ({@code Location: /v1/commands/{id}}), PostgreSQL and logs, so nothing else is let in.
     */
    public static final String COMMAND_ID_REGEX = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";
    public static final String COMMAND_ID_RULE = "must match " + COMMAND_ID_REGEX + " (1 to 128 letters, digits, '.', '_', ':', '-'; a UUID fits)";
    private static final Pattern COMMAND_ID = Pattern.compile(COMMAND_ID_REGEX);

    private final ProvisionerConfig config;
    private final DriverRegistry drivers;
    private final ClusterRepository clusters;

    public CommandValidator(ProvisionerConfig config, DriverRegistry drivers, ClusterRepository clusters) {
        this.config = config;
        this.drivers = drivers;
        this.clusters = clusters;
    }

    public static boolean isCommandId(String commandId) {
        return commandId != null && COMMAND_ID.matcher(commandId).matches();
    }

    /** Returns {@code commandId} when it follows the rule, else throws a 400 naming the field. */
    public static String requireCommandId(String commandId) {
        if (!isCommandId(commandId)) {
            throw ProblemException.invalid("commandId", COMMAND_ID_RULE);
        }
        return commandId;
    }

    /**
     * Checks the command; fails with a 400 naming the field and the rule, or a 422 when a launch would exceed the
     * service-wide node limit (the one check that reads PostgreSQL: it needs a session).
     */
    public Uni<Void> validate(ProvisioningCommand command) {
        return Uni.createFrom().deferred(() -> {
            check(command);
            boolean launches = command.type() == ProvisioningCommand.Type.LAUNCH && !Boolean.TRUE.equals(command.dryRun());
            if (!launches) {
                return Uni.createFrom().voidItem();
            }
            long total = command.groups().stream().mapToLong(GroupSpec::count).sum();
            return clusters.plannedNodes().invoke(planned -> {
                if (planned + total > config.maxNodesTotal()) {
                    throw ProblemException.unprocessable("launching " + total + " nodes would exceed the limit of "
                            + config.maxNodesTotal() + " nodes in total");
                }
            }).replaceWithVoid();
        });
    }

    private void check(ProvisioningCommand command) {
        requireCommandId(command.commandId());
        Names.require(command.cluster(), "name");
        switch (command.type()) {
            case LAUNCH -> validateLaunch(command);
            case SCALE -> {
                Names.require(command.tag(), "tag");
                requireCount(command.count(), "count");
            }
            case EXEC -> validateExec(command);
            default -> {
            }
        }
    }

    private void validateLaunch(ProvisioningCommand command) {
        List<GroupSpec> groups = command.groups();
        if (groups == null || groups.isEmpty()) {
            throw ProblemException.invalid("groups", "at least one group");
        }
        if (groups.size() > MAX_GROUPS) {
            throw ProblemException.invalid("groups", "at most " + MAX_GROUPS + " groups");
        }
        Set<String> tags = new HashSet<>();
        long total = 0;
        for (int i = 0; i < groups.size(); i++) {
            GroupSpec group = groups.get(i);
            String at = "groups[" + i + "]";
            Names.require(group.tag(), at + ".tag");
            if (!tags.add(group.tag())) {
                throw ProblemException.invalid(at + ".tag", "tags must be unique within a cluster");
            }
            requireCount(group.count(), at + ".count");
            total += group.count();
            ClusterDriver driver = drivers.require(group.driver(), at + ".driver");
            for (String option : group.options().keySet()) {
                if (!driver.knownOptions().contains(option)) {
                    throw ProblemException.invalid(at + ".options." + option, "unknown option of driver '" + driver.name()
                            + "'; known options: " + (driver.knownOptions().isEmpty() ? "none" : String.join(", ", driver.knownOptions())));
                }
            }
            for (String option : driver.requiredOptions()) {
                String value = group.options().get(option);
                if (value == null || value.isBlank()) {
                    throw ProblemException.invalid(at + ".options." + option, "required by driver '" + driver.name() + "'");
                }
            }
            try {
                driver.checkOptions(group.options());
            } catch (DriverException e) {
                throw ProblemException.invalid(at + ".options", e.getMessage());
            }
        }
        if (total > config.maxNodesPerCluster()) {
            throw ProblemException.invalid("groups", "at most " + config.maxNodesPerCluster() + " nodes per cluster, asked for " + total);
        }
        if (command.ttl() != null) {
            TimeToLive.parse(command.ttl(), "ttl", config.ttl().max());
        }
        if (command.sshPublicKey() != null) {
            if (command.sshPublicKey().length() > MAX_KEY_LENGTH) {
                throw ProblemException.invalid("sshPublicKey", "at most " + MAX_KEY_LENGTH + " characters");
            }
            try {
                SshKeys.parse(command.sshPublicKey());
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("sshPublicKey", "an OpenSSH public key line such as 'ssh-ed25519 AAAA... comment'");
            }
        }
    }

    private void validateExec(ProvisioningCommand command) {
        if (command.command() == null || command.command().isBlank()) {
            throw ProblemException.invalid("command", "must not be blank");
        }
        if (command.command().length() > MAX_COMMAND_LENGTH) {
            throw ProblemException.invalid("command", "at most " + MAX_COMMAND_LENGTH + " characters");
        }
        if (command.tag() != null) {
            Names.require(command.tag(), "tag");
        }
        requireNodeIndex(command.tag(), command.index());
        requireForks(command.forks());
        if (command.timeoutSeconds() != null && (command.timeoutSeconds() < 1 || command.timeoutSeconds() > config.maxExecTimeoutSeconds())) {
            throw ProblemException.invalid("timeoutSeconds", "between 1 and " + config.maxExecTimeoutSeconds());
        }
    }

    /** An exec's or a copy's node {@code index}: none, or one of group {@code tag} from 0; else a 400 naming it. */
    public static void requireNodeIndex(String tag, Integer index) {
        if (index != null) {
            if (tag == null) {
                throw ProblemException.invalid("index", "needs a tag");
            }
            if (index < 0) {
                throw ProblemException.invalid("index", "must be >= 0");
            }
        }
    }

    /** An exec's or a copy's {@code forks}: null (the default) or 1 to {@link #MAX_EXEC_FORKS}; else a 400 naming it. */
    public static void requireForks(Integer forks) {
        if (forks != null && (forks < 1 || forks > MAX_EXEC_FORKS)) {
            throw ProblemException.invalid("forks", "between 1 and " + MAX_EXEC_FORKS);
        }
    }

    private void requireCount(Integer count, String field) {
        if (count == null) {
            throw ProblemException.invalid(field, "required");
        }
        if (count < 0 || count > config.maxNodesPerCluster()) {
            throw ProblemException.invalid(field, "between 0 and " + config.maxNodesPerCluster());
        }
    }
}
