package org.d2l.rnn.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.d2l.rnn.Checks;
import org.d2l.rnn.UserError;
import org.d2l.rnn.experiments.Experiment;
import org.d2l.rnn.io.RunResult;
import org.d2l.rnn.experiments.Experiments;
import org.d2l.rnn.experiments.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs one d2l section with its book settings and writes its report. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a d2l section and write its report to <out>/<section>/ ('list' shows the sections).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    DataCommandOptions io;

    @Parameters(index = "0", paramLabel = "SECTION", description = "e.g. sequence, text-preprocessing, language-models")
    String section;

    @Option(names = "--seed", description = "Fixes every random choice (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", paramLabel = "N", description = "Override the section's number of epochs.")
    Integer epochs;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "notebooks-export",
            description = "Where reports go (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--models", paramLabel = "DIR", defaultValue = "models",
            description = "Where trained models are exported (default ${DEFAULT-VALUE}).")
    Path models;

    @Option(names = "--quick", description = "Smoke run: 1 epoch over 2 minibatches, to check the section end to end.")
    boolean quick;

    @Option(names = "--from-metrics", description = "Write the report again from its metrics.json, without training: "
            + "today's plots and tables over the numbers (and date, commit, command) of the run that made it.")
    boolean fromMetrics;

    @Override
    public Integer call() {
        Experiment e = Experiments.byName(section);
        if (seed == 0) {
            throw new UserError(org.d2l.rnn.jobs.LmSettings.SEED_ZERO);
        }
        if (epochs != null) {
            Checks.epochs(epochs);
        }
        var stdout = io.spec.commandLine().getOut();
        RunContext ctx = new RunContext(io.data.hub(), out, models, seed,
                epochs == null ? OptionalInt.empty() : OptionalInt.of(epochs), stdout, quick);
        RunResult result = fromMetrics ? e.rerender(ctx) : e.run(ctx);
        Path reportDir = out.resolve(e.reportDir());
        stdout.println("report: " + reportDir.resolve("README.md"));
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("section", e.name());
        j.put("report", reportDir.toString());
        j.putAll(result.metrics());
        io.json.print(stdout, j);
        return 0;
    }
}
