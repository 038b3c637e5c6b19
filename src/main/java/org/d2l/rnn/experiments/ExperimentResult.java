package org.d2l.rnn.experiments;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.Map;

/**
 * What an experiment measured. Results are records; their components, in snake_case, are the keys of
 * metrics.json and of the {@code --json} line, so a new figure needs no extra code to be reported.
 */
public interface ExperimentResult {
    ObjectMapper SNAKE_CASE = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    default Map<String, Object> metrics() {
        return SNAKE_CASE.convertValue(this, new TypeReference<>() { });
    }
}
