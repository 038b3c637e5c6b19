package org.d2l.rnn.experiments;

import org.d2l.rnn.io.RunResult;

/**
 * One d2l section as a runnable program: it names its settings, calls the shared parts, writes its report to
 * {@code notebooks-export/<name>/} and returns what it measured.
 */
public interface Experiment {
    /** The CLI name, e.g. {@code sequence}. */
    String name();

    /** The d2l section it reproduces, e.g. {@code 8.1 Sequence Models}. */
    String title();

    /** Where its report goes under notebooks-export/ (the exercises gather under {@code exercises/}). */
    default String reportDir() {
        return name();
    }

    RunResult run(RunContext ctx);

    /**
     * Writes the report again from its metrics.json, without training (today's plots and tables over the numbers of
     * the run that made it). Sections whose reports hold more than metrics.json keeps refuse.
     */
    default RunResult rerender(RunContext ctx) {
        throw new org.d2l.rnn.UserError("'" + name() + "' cannot be rendered again from metrics.json; run it: run "
                + name());
    }
}
