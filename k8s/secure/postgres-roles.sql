-- Least privilege for Maestro on your PostgreSQL (12 or later): one login role per service that keeps durable state,
-- owning its own database and nothing else; passwords stored as SCRAM-SHA-256; nobody else may connect to them.
-- Run as a superuser (or a role with CREATEROLE and CREATEDB), passwords as psql variables, never in this file:
--
--   psql "host=postgres.example sslmode=verify-full sslrootcert=ca.crt user=postgres dbname=postgres" \
--        -v ON_ERROR_STOP=1 -v inventory_password="$INVENTORY_SERVICE_PASSWORD" \
--        -v provisioner_password="$PROVISIONER_SERVICE_PASSWORD" -f k8s/secure/postgres-roles.sql
--
-- Safe to run again: existing roles get the given password, existing databases change owner.
-- The grants:
--   inventory-service   LOGIN, owns database maestro_inventory (and its schema public); CONNECT on it
--   provisioner-service LOGIN, owns database maestro_provisioner (and its schema public); CONNECT on it
--   PUBLIC              no CONNECT on either database, no CREATE on their schema public
--   neither role: SUPERUSER, CREATEDB, CREATEROLE, REPLICATION, BYPASSRLS; no CONNECT on the other's database.
-- Owning its database is what Flyway needs (it creates the service's tables at start, over JDBC); the service then
-- owns every table it made. registry-service and election-service use no PostgreSQL: they get no role.
-- Pair it with pg_hba.conf entries that accept these roles over TLS with SCRAM only (k8s/secure/pg_hba.conf).

\set ON_ERROR_STOP on
SET password_encryption = 'scram-sha-256';

SELECT format('CREATE ROLE %I LOGIN', 'inventory-service')
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'inventory-service') \gexec
SELECT format('CREATE ROLE %I LOGIN', 'provisioner-service')
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'provisioner-service') \gexec

ALTER ROLE "inventory-service" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'inventory_password';
ALTER ROLE "provisioner-service" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'provisioner_password';

SELECT 'CREATE DATABASE maestro_inventory OWNER "inventory-service"'
    WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'maestro_inventory') \gexec
SELECT 'CREATE DATABASE maestro_provisioner OWNER "provisioner-service"'
    WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'maestro_provisioner') \gexec
ALTER DATABASE maestro_inventory OWNER TO "inventory-service";
ALTER DATABASE maestro_provisioner OWNER TO "provisioner-service";

REVOKE ALL ON DATABASE maestro_inventory FROM PUBLIC;
REVOKE ALL ON DATABASE maestro_provisioner FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE maestro_inventory TO "inventory-service";
GRANT CONNECT, TEMPORARY ON DATABASE maestro_provisioner TO "provisioner-service";

-- Inside each database: the service owns schema public (PostgreSQL 15 gives it to the database owner already;
-- older versions let PUBLIC create in it).
\connect maestro_inventory
ALTER SCHEMA public OWNER TO "inventory-service";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
\connect maestro_provisioner
ALTER SCHEMA public OWNER TO "provisioner-service";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
