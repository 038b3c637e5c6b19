package org.d2l.rnn.experiments;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.d2l.rnn.data.DataHub;
import org.d2l.rnn.report.Report;

/**
 * What every experiment run gets from its caller.
 *
 * @param hub        where corpora come from
 * @param reportRoot reports go to {@code reportRoot/<section>/} (normally {@code notebooks-export})
 * @param seed       fixes every random choice: the same seed gives the same numbers on CPU
 * @param epochs     overrides the section's epoch count (smoke tests use 1)
 * @param out        where the section prints what d2l prints (the CLI's stdout)
 * @param modelsDir  where trained models are exported
 * @param quick      a smoke run: 1 epoch over 2 minibatches, to check a section works end to end
 */
public record RunContext(DataHub hub, Path reportRoot, Path modelsDir, long seed, OptionalInt epochs, PrintWriter out,
                         boolean quick) {
    public int epochsOr(int sectionDefault) {
        return quick ? 1 : epochs.orElse(sectionDefault);
    }

    /** The command that reproduces this run of {@code e}, for its report. */
    public String command(Experiment e) {
        return "mvn -q compile exec:java -Dexec.args=\"run " + e.name() + " --seed " + seed
                + (epochs.isPresent() && !quick ? " --epochs " + epochs.getAsInt() : "") + (quick ? " --quick" : "") + "\"";
    }

    public Report report(Experiment e) {
        return new Report(reportRoot.resolve(e.reportDir()), "d2l " + e.title());
    }
}
