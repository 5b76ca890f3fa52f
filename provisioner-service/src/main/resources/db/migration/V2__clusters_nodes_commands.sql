-- Clusters of groups {tag, count, driver} (tinycloud's model) and their nodes.
create table cluster (
    name              text primary key,
    ssh_public_key    text,
    launch_command_id text not null,
    created_at        timestamptz not null default now()
);

create table node_group (
    cluster text    not null references cluster (name) on delete cascade,
    tag     text    not null,
    driver  text    not null,
    options jsonb   not null default '{}',
    count   integer not null check (count >= 0),
    primary key (cluster, tag)
);

-- A node row exists before its driver is asked to create it, so an interrupted launch is found again.
create table node (
    cluster     text    not null,
    tag         text    not null,
    idx         integer not null check (idx >= 0),
    provider_id text,
    address     text,
    username    text,
    port        integer,
    status      text    not null check (status in ('pending', 'running', 'stopped', 'terminated')),
    -- OpenSSH public host key recorded at start; every SSH connection to the node must present it.
    host_key    text,
    updated_at  timestamptz not null default now(),
    primary key (cluster, tag, idx),
    foreign key (cluster, tag) references node_group (cluster, tag) on delete cascade
);

-- Commands from REST and Kafka alike. The id makes a redelivered command a no-op; the status/lease columns let
-- exactly one replica run it (claimed with a conditional UPDATE) and let another resume it if that replica dies.
create table command (
    id          text primary key,
    type        text        not null,
    cluster     text        not null,
    status      text        not null check (status in ('ACCEPTED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    request     jsonb       not null,
    result      jsonb,
    message     text,
    lease_owner text,
    lease_until timestamptz,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create index command_pending on command (created_at) where status in ('ACCEPTED', 'RUNNING');

-- Every ProvisioningEvent of a command, in order: per-node progress, GET /v1/commands/{id} and its SSE replay.
create table command_event (
    seq        bigserial primary key,
    command_id text  not null references command (id) on delete cascade,
    type       text  not null,
    event      jsonb not null
);
create index command_event_by_command on command_event (command_id, seq);
