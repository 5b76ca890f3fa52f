package io.maestro.inventory.transfer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the database holds of the entities an import names (read with the rows locked, so it holds until commit):
 * the entities (those of the rows, their parents, pools, references, far ends), the rows' attributes and pools,
 * the connections of the ports named, the occupied units of the parents named, every containment edge above, the
 * declared ports of the entities cabled (by name; none for most) and the ports each type with port templates declares.
 */
record StoredState(Map<String, Stored> entities, Map<UUID, List<StoredValue>> attributes, Map<UUID, Set<String>> pools,
                   Map<Port, Port> connections, Map<String, Map<Integer, String>> units, Map<String, String> parents,
                   Map<String, Set<String>> declaredPorts, Map<String, Set<String>> typePorts) {

    record Stored(UUID id, String name, String type, long version, String parent, Integer unit, Integer height, int rackHeight) {
    }

    record StoredValue(String key, String subkey, Integer number, String type, String text) {
    }

    record Port(String entity, String port) {
        @Override
        public String toString() {
            return "port '" + port + "' of '" + entity + "'";
        }
    }
}
