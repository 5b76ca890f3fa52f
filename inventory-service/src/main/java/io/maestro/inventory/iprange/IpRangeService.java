package io.maestro.inventory.iprange;

import io.maestro.support.validation.MaestroName;
import io.maestro.inventory.ApiModels.IpRange;
import io.maestro.inventory.ApiModels.AddressAllocation;
import io.maestro.inventory.ApiModels.IpRangePage;
import io.maestro.inventory.ApiModels.IpRangeUsage;
import io.maestro.inventory.query.EntitySearch;
import io.maestro.inventory.repository.Row;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;
import io.maestro.inventory.repository.EntityStore;
import io.maestro.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * IP ranges (IPv4 and IPv6 CIDR, any prefix length) and their addresses. Triggers keep {@code ip_free}, the
 * free host addresses as extents, equal to the range minus its allocations, so the lowest free address is the
 * first of the lowest extent: bounded time and memory whatever the range size. The range row is locked while
 * allocating, and the primary key (range, address) refuses a duplicate even if that lock were bypassed.
 */
@ApplicationScoped
public class IpRangeService {
    private static final Pattern CIDR = Pattern.compile("[0-9a-fA-F:.]+/[0-9]{1,3}");

    private final Statements sql;
    private final EntityStore store;

    private final EntitySearch search;

    public IpRangeService(Statements sql, EntityStore store, EntitySearch search) {
        this.sql = sql;
        this.store = store;
        this.search = search;
    }

    public record CreateRange(@MaestroName String name, String cidr) {
    }

    public record AllocateAddress(@MaestroName String entity) {
    }

    public Uni<IpRange> create(CreateRange request) {
        String name = request.name();
        String cidr = request.cidr();
        if (cidr == null || !CIDR.matcher(cidr).matches() || !validCidr(cidr)) {
            throw ProblemException.invalid("cidr", "must be an IPv4 or IPv6 network in CIDR notation with no host bits set, e.g. 10.0.0.0/24 or 2001:db8::/64");
        }
        return Transactions.inTransaction(() -> sql.one("insert into ip_range (id, name, cidr) values (?1, ?2, cast(cast(?3 as text) as cidr)) returning cidr::text",
                UUID.randomUUID(), name, cidr)).map(row -> new IpRange(name, row.string(0)));
    }

    /** The ranges by name, keyset-paged, each with how many of its host addresses are allocated. */
    public Uni<IpRangePage> list(String limitParam, String cursor) {
        int limit = search.limit(limitParam);
        String after = cursor == null ? "" : EntitySearch.decodeCursor(cursor);
        return Transactions.read(() -> sql.rows("select r.name, r.cidr::text, masklen(r.cidr), family(r.cidr), "
                        + "(select count(*) from ip_allocation a where a.range_id = r.id) from ip_range r where r.name > ?1 order by r.name limit ?2",
                after, limit + 1))
                .map(rows -> {
                    List<IpRangeUsage> items = new ArrayList<>();
                    for (Row row : rows.subList(0, Math.min(limit, rows.size()))) {
                        BigInteger hosts = hosts(row.integer(3), row.integer(2));
                        long allocated = row.longValue(4);
                        double utilisation = new BigDecimal(allocated).divide(new BigDecimal(hosts), MathContext.DECIMAL64).doubleValue();
                        items.add(new IpRangeUsage(row.string(0), row.string(1), hosts.toString(), allocated, utilisation));
                    }
                    String next = rows.size() > limit ? EntitySearch.encodeCursor(items.get(items.size() - 1).name()) : null;
                    return new IpRangePage(items, next);
                });
    }

    /**
     * The host addresses of a range, as {@code ip_range_hosts} hands them out: all but the network address and, for
     * IPv4, the broadcast address; IPv4 /31 and /32 and IPv6 /127 and /128 use every address.
     */
    static BigInteger hosts(int family, int prefix) {
        int bits = family == 4 ? 32 : 128;
        BigInteger all = BigInteger.ONE.shiftLeft(bits - prefix);
        boolean reserved = prefix < bits - 1;
        return reserved ? all.subtract(BigInteger.valueOf(family == 4 ? 2 : 1)) : all;
    }

    public Uni<AddressAllocation> allocate(String rangeName, AllocateAddress request, String actor) {
        String entityName = request.entity();
        // entity first, then range: the order in which releasing or deleting an entity locks them too
        return Transactions.inTransaction(() -> store.lock(entityName).chain(entity -> sql.first("select id from ip_range where name = ?1 for update", rangeName)
                .map(range -> range.orElseThrow(() -> ProblemException.notFound("no IP range named '" + rangeName + "'")).uuid(0))
                // the lowest free address: the first address of the lowest free extent, one index lookup
                .chain(rangeId -> sql.first("select host(first) from ip_free where range_id = ?1 order by first limit 1", rangeId)
                        .map(next -> next.orElseThrow(() -> ProblemException.conflict("IP range '" + rangeName + "' has no free address")).string(0))
                        .call(address -> sql.update("insert into ip_allocation (range_id, address, entity_id) values (?1, cast(cast(?2 as text) as inet), ?3)",
                                rangeId, address, entity.id())))
                // the address is part of the entity: new version, outbox row
                .call(() -> store.relinked(entity, actor))
                .map(address -> new AddressAllocation(address, rangeName, entityName))));
    }

    public Uni<Void> release(String rangeName, String address, String actor) {
        if (address == null || !validAddress(address)) {
            throw ProblemException.invalid("address", "must be an IPv4 or IPv6 address");
        }
        Supplier<ProblemException> notAllocated = () -> ProblemException.notFound("address " + address + " is not allocated in '" + rangeName + "'");
        return Transactions.inTransaction(() -> sql.first("select e.name from ip_allocation a join ip_range r on r.id = a.range_id "
                        + "join entity e on e.id = a.entity_id where r.name = ?1 and a.address = cast(cast(?2 as text) as inet)", rangeName, address)
                .chain(owner -> store.lock(owner.orElseThrow(notAllocated).string(0)))
                .call(() -> sql.update("delete from ip_allocation a using ip_range r where r.id = a.range_id and r.name = ?1 "
                        + "and a.address = cast(cast(?2 as text) as inet)", rangeName, address).invoke(deleted -> {
                            if (deleted == 0) {
                                throw notAllocated.get();
                            }
                        }))
                .chain(entity -> store.relinked(entity, actor))
                .replaceWithVoid());
    }

    private static boolean validCidr(String cidr) {
        String[] parts = cidr.split("/");
        if (!validAddress(parts[0])) {
            return false;
        }
        try {
            byte[] bytes = InetAddress.getByName(parts[0]).getAddress();
            int prefix = Integer.parseInt(parts[1]);
            if (prefix > bytes.length * 8) {
                return false;
            }
            for (int bit = prefix; bit < bytes.length * 8; bit++) {
                if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0) {
                    return false; // host bits set: PostgreSQL's cidr would refuse it with a 500-looking error
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    private static boolean validAddress(String address) {
        // only literal addresses: InetAddress.getByName would otherwise resolve host names
        if (!address.matches("[0-9.]+") && !(address.contains(":") && address.matches("[0-9a-fA-F:.]+"))) {
            return false;
        }
        try {
            InetAddress.getByName(address);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
