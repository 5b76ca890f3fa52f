-- The free host addresses of each IP range as extents [first, last], kept equal to "hosts of the range minus
-- ip_allocation" by triggers, so allocation takes the lowest extent's first address with one index lookup,
-- whatever the size of the range (::/0 included) and however many addresses are allocated. Every lookup is
-- on the primary key (range_id, first).
create table ip_free (
    range_id uuid not null references ip_range (id) on delete cascade,
    first    inet not null,
    last     inet not null,
    primary key (range_id, first),
    check (first <= last)
);

-- Host addresses of a range: all but the network address and, for IPv4, the broadcast address; a point-to-point
-- IPv4 /31 or /32 (RFC 3021) and IPv6 /127 or /128 (RFC 6164) use every address.
create function ip_range_hosts(cidr cidr, out first inet, out last inet) language sql immutable as $$
    select case when reserved then host(network(cidr))::inet + 1 else host(network(cidr))::inet end,
           case when reserved and family(cidr) = 4 then host(broadcast(cidr))::inet - 1 else host(broadcast(cidr))::inet end
    from (select masklen(cidr) < case family(cidr) when 4 then 31 else 127 end as reserved) r
$$;

-- Removes one address from the free extents (splitting the extent that holds it); refuses one that is not free.
create function ip_free_take(range uuid, address inet) returns void language plpgsql as $$
declare
    extent ip_free;
begin
    select * into extent from ip_free f where f.range_id = range and f.first <= address order by f.first desc limit 1 for update;
    if extent is null or extent.last < address then
        raise exception 'address % is not free in its range', host(address) using errcode = 'unique_violation', constraint = 'ip_allocation_pkey';
    end if;
    delete from ip_free f where f.range_id = range and f.first = extent.first;
    if extent.first < address then
        insert into ip_free values (range, extent.first, address - 1);
    end if;
    if address < extent.last then
        insert into ip_free values (range, address + 1, extent.last);
    end if;
end $$;

-- Gives an address back, merged with the free extents next to it (no "+ 1" that could overflow at the top).
create function ip_free_give(range uuid, address inet) returns void language plpgsql as $$
declare
    before ip_free;
    after ip_free;
    first inet := address;
    last inet := address;
begin
    -- extents are disjoint and the address is in none, so the one starting below it also ends below it
    select * into before from ip_free f where f.range_id = range and f.first < address order by f.first desc limit 1 for update;
    if before is not null and before.last + 1 = address then
        first := before.first;
        delete from ip_free f where f.range_id = range and f.first = before.first;
    end if;
    select * into after from ip_free f where f.range_id = range and f.first > address order by f.first limit 1 for update;
    if after is not null and after.first - 1 = address then
        last := after.last;
        delete from ip_free f where f.range_id = range and f.first = after.first;
    end if;
    insert into ip_free values (range, first, last);
end $$;

create function ip_range_created() returns trigger language plpgsql as $$
begin
    insert into ip_free select new.id, h.first, h.last from ip_range_hosts(new.cidr) h;
    return new;
end $$;

create function ip_allocation_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform ip_free_take(new.range_id, new.address);
        return new;
    end if;
    -- the range row is locked first, as allocation does, so extents of one range change one transaction at a time;
    -- a range being deleted takes its extents with it
    perform 1 from ip_range where id = old.range_id for update;
    if found then
        perform ip_free_give(old.range_id, old.address);
    end if;
    return old;
end $$;

-- the existing ranges and allocations
insert into ip_free select r.id, h.first, h.last from ip_range r, ip_range_hosts(r.cidr) h;
select ip_free_take(range_id, address) from ip_allocation;

create trigger ip_range_free after insert on ip_range for each row execute function ip_range_created();
create trigger ip_allocation_free after insert or delete on ip_allocation for each row execute function ip_allocation_changed();
