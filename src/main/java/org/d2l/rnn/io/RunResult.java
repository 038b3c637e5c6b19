package org.d2l.rnn.io;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.Map;

/**
 * What a run measured — a section, a training job, a benchmark. Results are records; their components, in the
 * project's JSON naming ({@link Json}), are the keys of metrics.json and of the {@code --json} line, so a new
 * figure needs no extra code to be reported. It lives here, below every package that produces results, so that
 * {@code jobs} and {@code bench} need nothing from {@code experiments}.
 */
public interface RunResult {
    default Map<String, Object> metrics() {
        return Json.SNAKE_CASE.convertValue(this, new TypeReference<>() { });
    }
}
