package io.maestro.localstack;

import io.maestro.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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

    static void apply(Map<String, String> adminConfig) throws IOException {
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
            admin.createAcls(bindings()).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("cannot prepare the secured Kafka (topics and ACLs): " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while preparing the secured Kafka", e);
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
            List<String> reads = new ArrayList<>(grants.reads());
            reads.addAll(ServiceGrants.EVERY_SERVICE_READS);
            for (String topic : reads) {
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
