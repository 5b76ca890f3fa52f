package io.maestro.inventory.rack;

import io.maestro.support.validation.MaestroName;
import io.maestro.inventory.config.InventoryConfig;
import io.maestro.inventory.repository.Row;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.smallrye.mutiny.Uni;
import io.maestro.support.problem.ProblemException;
import io.maestro.support.auth.CurrentCaller;
import io.maestro.support.auth.RequiresScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

/** {@code GET /v1/racks/{name}/elevation.svg}: the rack's units, top unit first, and the devices occupying them. */
@Path("/v1/racks/{name}/elevation.svg")
@Tag(name = "racks", description = "Pictures of racks")
public class RackElevationResource {
    public static final String SVG = "image/svg+xml";
    private static final int UNIT_PX = 18;
    private static final int WIDTH = 320;
    private static final int LABEL = 32;

    private final Statements sql;
    private final InventoryConfig config;

    public RackElevationResource(Statements sql, InventoryConfig config) {
        this.sql = sql;
        this.config = config;
    }

    @GET
    @Produces(SVG)
    @RequiresScope("inventory:read")
    @Operation(operationId = "rackElevation", summary = "Draw a rack",
            description = "An SVG of the rack unit by unit (height from its height attribute, default 42) with the devices in their units.")
    @APIResponse(responseCode = "200", description = "The elevation", content = @Content(mediaType = SVG, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No entity with this name")
    public Uni<String> elevation(@PathParam("name") @MaestroName String name) {
        return Transactions.read(() -> sql.first("""
                        select e.id, rack_height(e.id, ?2) from entity e where e.name = ?1""", name, config.defaultRackHeight())
                .map(rack -> rack.orElseThrow(() -> ProblemException.notFound("no rack named '" + name + "'")))
                .chain(rack -> sql.rows("""
                        select c.unit, c.height, e.name, e.type from containment c join entity e on e.id = c.child_id
                        where c.parent_id = ?1 and c.unit is not null order by c.unit""", rack.uuid(0))
                        .map(devices -> svg(name, rack.integer(1), devices))));
    }

    /** Most units drawn: a height attribute of millions must not make a drawing of gigabytes. */
    static final int MAX_DRAWN_UNITS = 500;

    private static String svg(String name, int rackHeight, List<Row> devices) {
        int height = Math.max(0, Math.min(rackHeight, MAX_DRAWN_UNITS));
        int total = height * UNIT_PX;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH + LABEL + 10).append("\" height=\"").append(total + 40)
                .append("\" font-family=\"monospace\" font-size=\"11\">\n");
        svg.append("<text x=\"").append(LABEL).append("\" y=\"14\" font-weight=\"bold\">").append(xml(name)).append(" (")
                .append(rackHeight).append("U").append(height < rackHeight ? ", units 1-" + height + " drawn" : "").append(")</text>\n");
        int top = 24;
        svg.append("<rect x=\"").append(LABEL).append("\" y=\"").append(top).append("\" width=\"").append(WIDTH).append("\" height=\"")
                .append(total).append("\" fill=\"#f4f4f4\" stroke=\"#333\"/>\n");
        for (int unit = 1; unit <= height; unit++) {
            int y = top + (height - unit) * UNIT_PX;
            svg.append("<text x=\"2\" y=\"").append(y + UNIT_PX - 5).append("\">").append(unit).append("</text>");
            svg.append("<line x1=\"").append(LABEL).append("\" y1=\"").append(y).append("\" x2=\"").append(LABEL + WIDTH)
                    .append("\" y2=\"").append(y).append("\" stroke=\"#ccc\"/>\n");
        }
        for (Row device : devices) {
            int unit = device.integer(0);
            if (unit > height) {
                continue;
            }
            int size = device.integer(1);
            int units = Math.min(size, height - unit + 1);
            int y = top + (height - (unit + units - 1)) * UNIT_PX;
            svg.append("<g><title>").append(xml(device.string(2))).append(" (").append(xml(device.string(3))).append(") U")
                    .append(unit).append(size > 1 ? "-" + (unit + size - 1) : "").append("</title>");
            svg.append("<rect x=\"").append(LABEL + 2).append("\" y=\"").append(y + 1).append("\" width=\"").append(WIDTH - 4)
                    .append("\" height=\"").append(units * UNIT_PX - 2).append("\" fill=\"#9cc3e6\" stroke=\"#1f4e79\"/>");
            svg.append("<text x=\"").append(LABEL + 8).append("\" y=\"").append(y + UNIT_PX - 5).append("\">").append(xml(device.string(2)))
                    .append(" · ").append(xml(device.string(3))).append("</text></g>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
