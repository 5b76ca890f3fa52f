package io.maestro.election.service;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which database's keyspace channel the service listens on, and which flags it needs. */
class KeyspaceSettingsTest {

    @Test
    void theDatabaseIndexComesFromTheRedisUrl() {
        assertThat(KeyspaceNotifications.databaseOf("redis://localhost:6379")).isZero();
        assertThat(KeyspaceNotifications.databaseOf("redis://localhost:6379/")).isZero();
        assertThat(KeyspaceNotifications.databaseOf("redis://redis:6379/3")).isEqualTo(3);
        assertThat(KeyspaceNotifications.databaseOf("redis://:secret@redis:6379/12,redis://other:6379/12")).isEqualTo(12);
    }

    @Test
    void expiredEventsNeedTheKeyeventClassAndExpiredEvents() {
        assertThat(KeyspaceNotifications.sufficient("Ex")).isTrue();
        assertThat(KeyspaceNotifications.sufficient("KEA")).isTrue();
        assertThat(KeyspaceNotifications.sufficient("AKE")).isTrue();
        assertThat(KeyspaceNotifications.sufficient("Kx")).isFalse();
        assertThat(KeyspaceNotifications.sufficient("E")).isFalse();
        assertThat(KeyspaceNotifications.sufficient("")).isFalse();
    }
}
