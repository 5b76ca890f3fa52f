package io.maestro.inventory.query;

import io.maestro.inventory.config.InventoryConfig;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.smallrye.mutiny.Uni;
import io.maestro.support.problem.ProblemException;
import io.maestro.inventory.ApiModels.EntityView;
import io.maestro.inventory.ApiModels.SearchPage;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** {@code GET /v1/entities?q=&limit=&cursor=}: one SQL statement per page, keyset-paged by name. */
@ApplicationScoped
public class EntitySearch {

    private final Statements statements;
    private final InventoryConfig config;

    public EntitySearch(Statements statements, InventoryConfig config) {
        this.statements = statements;
        this.config = config;
    }

    /** Parses {@code q} into an AST, answering 400 naming {@code field} with the position on a syntax error or a broken limit. */
    public Expression parse(String q, String field) {
        try {
            return ExpressionParser.parse(q);
        } catch (ExpressionException e) {
            throw ProblemException.invalid(field, e.getMessage());
        }
    }

    public Uni<SearchPage> search(String q, String limitText, String cursor) {
        int limit = limit(limitText);
        List<Object> params = new ArrayList<>();
        String condition = q == null || q.isBlank() ? "true" : new SqlCompiler(params).condition(parse(q, "q"));
        String after = cursor == null || cursor.isEmpty() ? null : decodeCursor(cursor);
        // One statement: the page first, then its JSON, set-based for the page's rows only (entities_json, migration V6)
        StringBuilder sql = new StringBuilder("with p as materialized (select e.id, e.name from entity e where ").append(condition);
        if (after != null) {
            params.add(after);
            sql.append(" and e.name > ?").append(params.size());
        }
        params.add(limit + 1);
        sql.append(" order by e.name limit ?").append(params.size())
                .append(") select p.name, j.json::text from p join entities_json(array(select id from p)) j on j.id = p.id order by p.name");
        return Transactions.search(config.query().timeout(), () -> statements.rows(sql.toString(), params.toArray())).map(rows -> {
            List<EntityView> items = new ArrayList<>(Math.min(limit, rows.size()));
            for (int i = 0; i < Math.min(limit, rows.size()); i++) {
                items.add(rows.get(i).as(1, EntityView.class));
            }
            String next = rows.size() > limit ? encodeCursor(rows.get(limit - 1).string(0)) : null;
            return new SearchPage(items, next);
        });
    }

    /** A page size from {@code ?limit}: the default when absent, else 1 to the configured maximum or a 400. */
    public int limit(String text) {
        if (text == null || text.isBlank()) {
            return config.query().defaultLimit();
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= config.query().maxLimit()) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ProblemException.invalid("limit", "must be an integer between 1 and " + config.query().maxLimit());
    }

    /** The opaque keyset cursor of a page that ends at {@code name}. */
    public static String encodeCursor(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    public static String decodeCursor(String cursor) {
        try {
            String name = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (name.indexOf('\u0000') < 0) { // PostgreSQL refuses U+0000 in a bind value
                return name;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ProblemException.invalid("cursor", "must be a nextCursor returned by this endpoint");
    }
}
