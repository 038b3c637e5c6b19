package org.d2l.rnn.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The project's one JSON naming: record components in snake_case. metrics.json, the {@code --json} line, the model
 * card and checkpoint.json all use it, so a key reads the same wherever it appears.
 */
public final class Json {
    /** snake_case on write and read; unknown keys are skipped on read (a newer file read by an older version). */
    public static final ObjectMapper SNAKE_CASE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {
    }

    /**
     * Renames camelCase object keys to snake_case, recursively, except inside the objects at {@code dataPaths}
     * (dotted paths of maps whose keys are data, such as layer names): files written before the naming was one
     * (checkpoint.json up to 2026-12) then read like new ones.
     */
    public static JsonNode snakeCaseKeys(JsonNode node, List<String> dataPaths) {
        return rename(node, "", dataPaths);
    }

    private static JsonNode rename(JsonNode node, String path, List<String> dataPaths) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, rename(node.get(i), path, dataPaths));
            }
            return node;
        }
        if (!node.isObject() || dataPaths.contains(path)) {
            return node;
        }
        ObjectNode renamed = SNAKE_CASE.createObjectNode();
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        node.fields().forEachRemaining(fields::add);
        for (Map.Entry<String, JsonNode> f : fields) {
            String key = snakeCase(f.getKey());
            renamed.set(key, rename(f.getValue(), path.isEmpty() ? key : path + "." + key, dataPaths));
        }
        return renamed;
    }

    /** Jackson's own translation, so legacy keys map exactly to what {@link #SNAKE_CASE} writes. */
    private static String snakeCase(String camel) {
        return new PropertyNamingStrategies.SnakeCaseStrategy().translate(camel);
    }
}
