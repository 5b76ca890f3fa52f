#!/usr/bin/env bash
# Least privilege for Maestro on your Kafka cluster: the topics (created here, by you: the services have no CREATE),
# one SCRAM-SHA-512 user per service and the ACLs each one needs, nothing more. Run it as a Kafka administrator
# (a super user, or a principal with ALTER on the cluster and CREATE on the topics) from any machine with the Kafka
# command-line tools (Kafka 3.5 or later: SCRAM users are created through the brokers, also in KRaft mode):
#
#   KAFKA_BIN=/opt/kafka/bin BOOTSTRAP=kafka.example:9093 COMMAND_CONFIG=admin.properties \
#   REGISTRY_SERVICE_PASSWORD=... ELECTION_SERVICE_PASSWORD=... INVENTORY_SERVICE_PASSWORD=... PROVISIONER_SERVICE_PASSWORD=... \
#   CONSOLE_PASSWORD=... \
#       k8s/secure/kafka-acls.sh
#
# admin.properties is a standard Kafka client file (what --command-config takes; ./maestro up --secure writes one as
# <stack>/secure/admin-kafka.properties):
#   security.protocol=SASL_SSL
#   sasl.mechanism=SCRAM-SHA-512
#   sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="...";
#   ssl.truststore.type=PEM
#   ssl.truststore.location=/path/to/ca.crt
# The brokers need an authorizer (KRaft: authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer),
# allow.everyone.if.no.acl.found=false (the default) and a SASL_SSL listener with SCRAM-SHA-512 enabled.
# Leave a *_PASSWORD unset to keep that user's existing credential (only the ACLs are applied).
# Strimzi users: the same grants as KafkaUser resources are in the comments at the end.
#
# The grants (principal User:<service>; every topic name LITERAL; READ and WRITE imply DESCRIBE, which is listed anyway):
#   registry-service    WRITE+DESCRIBE maestro.registry.changes
#                       READ+DESCRIBE  maestro.registry.changes (the bridge reads back what it published, by assign())
#                       READ+DESCRIBE  maestro.auth.tokens
#                       no consumer group (it reads by assign() and commits nothing)
#   election-service    WRITE+DESCRIBE maestro.election.leadership
#                       READ+DESCRIBE  maestro.auth.tokens
#                       no consumer group
#   inventory-service   WRITE+DESCRIBE maestro.inventory.mutations, maestro.provisioning.events.dlq
#                       READ+DESCRIBE  maestro.provisioning.events, maestro.auth.tokens
#                       READ+DESCRIBE  group PREFIXED inventory-service (its group: inventory-service)
#   provisioner-service WRITE+DESCRIBE maestro.provisioning.events, maestro.provisioning.commands.dlq
#                       READ+DESCRIBE  maestro.provisioning.commands, maestro.auth.tokens
#                       READ+DESCRIBE  group PREFIXED provisioner-service (its group: provisioner-service, the
#                                      application name: Quarkus' default group.id)
#   console             READ+DESCRIBE  the five topics of the suite (the overview's recent events); not the token
#                                      ledger, no write, no consumer group (it reads by assign() and commits nothing)
# Nobody but you gets CREATE, DELETE, ALTER or ALTER_CONFIGS, nor any right on the cluster resource. The producers use
# idempotence, which needs only WRITE on the topic from Kafka 3.0 on (older brokers: IDEMPOTENT_WRITE on the cluster).
# Who writes maestro.provisioning.commands (your automation) and maestro.auth.tokens (whoever mints tokens with
# `maestro token create --kafka`) is yours to decide: give them their own users, e.g. the commented lines at the end.
set -euo pipefail

KAFKA_BIN=${KAFKA_BIN:-/opt/kafka/bin}
: "${BOOTSTRAP:?set BOOTSTRAP to the brokers' SASL_SSL address, host:port}"
: "${COMMAND_CONFIG:?set COMMAND_CONFIG to the administrator's Kafka client properties file}"
PARTITIONS=${PARTITIONS:-3}
REPLICATION=${REPLICATION:-3}

admin() { "$KAFKA_BIN/$1" --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" "${@:2}"; }

# Topics: the five of the suite, their dead-letter topics, and the compacted token ledger.
for topic in maestro.registry.changes maestro.election.leadership maestro.inventory.mutations \
             maestro.provisioning.commands maestro.provisioning.events; do
    admin kafka-topics.sh --create --if-not-exists --topic "$topic" --partitions "$PARTITIONS" --replication-factor "$REPLICATION"
    admin kafka-topics.sh --create --if-not-exists --topic "$topic.dlq" --partitions 1 --replication-factor "$REPLICATION"
done
admin kafka-topics.sh --create --if-not-exists --topic maestro.auth.tokens --partitions 1 --replication-factor "$REPLICATION" \
    --config cleanup.policy=compact

# SCRAM-SHA-512 users, one per service. The password goes through the process list of this machine only.
scram_user() {
    local user=$1 password=$2
    if [[ -n $password ]]; then
        admin kafka-configs.sh --alter --entity-type users --entity-name "$user" \
            --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]"
    fi
}
scram_user registry-service "${REGISTRY_SERVICE_PASSWORD:-}"
scram_user election-service "${ELECTION_SERVICE_PASSWORD:-}"
scram_user inventory-service "${INVENTORY_SERVICE_PASSWORD:-}"
scram_user provisioner-service "${PROVISIONER_SERVICE_PASSWORD:-}"
scram_user console "${CONSOLE_PASSWORD:-}"

allow() { # allow <user> <topic|group> <name> <pattern type> <operation>...
    local user=$1 kind=$2 name=$3 pattern=$4
    shift 4
    local ops=()
    for op in "$@"; do ops+=(--operation "$op"); done
    admin kafka-acls.sh --add --allow-principal "User:$user" "--$kind" "$name" --resource-pattern-type "$pattern" "${ops[@]}"
}
writes() { local user=$1; shift; for t in "$@"; do allow "$user" topic "$t" literal Write Describe; done; }
reads() { local user=$1; shift; for t in "$@"; do allow "$user" topic "$t" literal Read Describe; done; }
group_prefix() { allow "$1" group "$1" prefixed Read Describe; }

writes registry-service maestro.registry.changes
reads registry-service maestro.registry.changes maestro.auth.tokens

writes election-service maestro.election.leadership
reads election-service maestro.auth.tokens

writes inventory-service maestro.inventory.mutations maestro.provisioning.events.dlq
reads inventory-service maestro.provisioning.events maestro.auth.tokens
group_prefix inventory-service

writes provisioner-service maestro.provisioning.events maestro.provisioning.commands.dlq
reads provisioner-service maestro.provisioning.commands maestro.auth.tokens
group_prefix provisioner-service

reads console maestro.registry.changes maestro.election.leadership maestro.inventory.mutations \
    maestro.provisioning.commands maestro.provisioning.events

admin kafka-acls.sh --list --principal User:registry-service --principal User:election-service \
    --principal User:inventory-service --principal User:provisioner-service --principal User:console

# Your own principals (examples, not applied):
#   automation that launches clusters over Kafka:   writes maestro-automation maestro.provisioning.commands
#   whoever mints tokens (maestro token create):    writes maestro-tokens maestro.auth.tokens; reads maestro-tokens maestro.auth.tokens
#   a reader of every event (maestro events):       reads maestro-events maestro.registry.changes ... (it reads by assign(), no group)
#
# Strimzi (User Operator): the same grants for one service as a KafkaUser; its Secret carries `sasl.jaas.config`,
# the key the k8s/components/secured patches read (copy it into the namespace of Maestro as <service>-kafka):
#   apiVersion: kafka.strimzi.io/v1beta2
#   kind: KafkaUser
#   metadata: {name: inventory-service, labels: {strimzi.io/cluster: maestro}}
#   spec:
#     authentication: {type: scram-sha-512}
#     authorization:
#       type: simple
#       acls:
#         - {resource: {type: topic, name: maestro.inventory.mutations, patternType: literal}, operations: [Write, Describe]}
#         - {resource: {type: topic, name: maestro.provisioning.events.dlq, patternType: literal}, operations: [Write, Describe]}
#         - {resource: {type: topic, name: maestro.provisioning.events, patternType: literal}, operations: [Read, Describe]}
#         - {resource: {type: topic, name: maestro.auth.tokens, patternType: literal}, operations: [Read, Describe]}
#         - {resource: {type: group, name: inventory-service, patternType: prefix}, operations: [Read, Describe]}
