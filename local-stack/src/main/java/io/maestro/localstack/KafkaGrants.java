package io.maestro.localstack;

import io.maestro.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Prepares a secured broker as its administrator: creates every topic of the suite (the services may not create
 * topics) and grants each service what {@link ServiceGrants} says it needs, nothing more.
 */
final class KafkaGrants {
    private KafkaGrants() {
    }

    static void apply(Map<String, String> adminConfig, StackSecurity security) throws IOException {
        Map<String, Object> config = new HashMap<>(adminConfig);
        config.put("request.timeout.ms", 15_000);
        try (Admin admin = Admin.create(config)) {
            for (String topic : ServiceGrants.allTopics()) {
                NewTopic newTopic = new NewTopic(topic, 1, (short) 1);
                if (topic.equals(Topics.AUTH_TOKENS)) {
                    newTopic.configs(Map.of("cleanup.policy", "compact"));
                }
                try {
                    admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            addMissingUsers(admin, security);
            admin.createAcls(bindings()).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("cannot prepare the secured Kafka (topics and ACLs): " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while preparing the secured Kafka", e);
        }
    }

    /**
     * The users a stack formatted by an older local-stack lacks (the console's came later): created through the broker
     * (KIP-554), so an existing stack keeps its data. Users made at format time are left as they are.
     */
    private static void addMissingUsers(Admin admin, StackSecurity security) throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS).keySet();
        List<UserScramCredentialAlteration> missing = new ArrayList<>();
        for (String user : KafkaServer.kafkaUsers()) {
            if (!existing.contains(user)) {
                missing.add(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                        security.password("kafka", user)));
            }
        }
        if (!missing.isEmpty()) {
            admin.alterUserScramCredentials(missing).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Every ACL of every service. */
    static List<AclBinding> bindings() {
        List<AclBinding> bindings = new ArrayList<>();
        for (ServiceGrants grants : ServiceGrants.ALL) {
            String principal = "User:" + grants.service();
            for (String topic : grants.writes()) {
                allow(bindings, principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE, AclOperation.DESCRIBE);
            }
            for (String topic : grants.reads()) {
                allow(bindings, principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ, AclOperation.DESCRIBE);
            }
            if (grants.groupPrefix() != null) {
                allow(bindings, principal, ResourceType.GROUP, grants.groupPrefix(), PatternType.PREFIXED,
                        AclOperation.READ, AclOperation.DESCRIBE);
            }
        }
        return bindings;
    }

    private static void allow(List<AclBinding> bindings, String principal, ResourceType type, String name,
                              PatternType pattern, AclOperation... operations) {
        for (AclOperation operation : operations) {
            bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
    }
}
