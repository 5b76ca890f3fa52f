-- Clusters that expire: ttl as the caller wrote it, and when it runs out (from the cluster's creation, or from the
-- last PUT /v1/clusters/{name}/ttl). Once expires_at has passed, one replica issues a DESTROY of its own and records
-- its id in expiry_command_id under the row's lock, so replicas never issue two and a late extension is refused.
alter table cluster add column ttl text;
alter table cluster add column expires_at timestamptz;
alter table cluster add column expiry_command_id text;
create index cluster_expiry on cluster (expires_at) where expires_at is not null;
