#!/usr/bin/env bash
# docker-entrypoint-initdb.d script of the postgres image for docker-compose.secure.yml (runs once, on an empty data
# directory): the roles and databases of k8s/secure/postgres-roles.sql, their passwords read from Compose secrets,
# and k8s/secure/pg_hba.conf's entries put first in pg_hba.conf (TLS + SCRAM only for the service roles).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v inventory_password="$(cat /run/secrets/inventory-service-postgres-password)" \
    -v provisioner_password="$(cat /run/secrets/provisioner-service-postgres-password)" \
    -f /etc/maestro/secure/postgres-roles.sql
{ grep -v '^#' /etc/maestro/secure/pg_hba.conf; cat "$PGDATA/pg_hba.conf"; } > "$PGDATA/pg_hba.conf.new"
mv "$PGDATA/pg_hba.conf.new" "$PGDATA/pg_hba.conf"
