package org.d2l.rnn.experiments;

import java.util.Map;

/** What an experiment measured, as the flat key-value map written to metrics.json and printed by --json. */
public interface ExperimentResult {
    Map<String, Object> metrics();
}
