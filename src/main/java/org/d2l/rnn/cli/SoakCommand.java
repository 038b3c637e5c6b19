package org.d2l.rnn.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.d2l.rnn.UserError;
import org.d2l.rnn.bench.MemorySoak;
import org.d2l.rnn.jobs.LanguageModelJob;
import org.d2l.rnn.jobs.LmResult;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.report.Report;
import org.d2l.rnn.report.SoakReport;
import org.d2l.rnn.runtime.RunProvenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Memory over a long run: trains N epochs and reports how fast the resident set and native memory still grow. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Train N epochs and report the growth of the resident set and of the memory outside the Java "
                + "heap after warm-up, in MiB per epoch (run it with the -Xmx you care about, e.g. -Xmx1g).")
final class SoakCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    JsonOutput json;
    @Mixin
    DataOptions data;

    @Option(names = "--model", defaultValue = "rnn", description = "rnn-scratch, gru-scratch, lstm-scratch, rnn, gru, lstm, bi-lstm (default ${DEFAULT-VALUE}).")
    String model;
    @Option(names = "--hidden", defaultValue = "256", description = "Hidden units (default ${DEFAULT-VALUE}).")
    int hidden;
    @Option(names = "--layers", defaultValue = "1", description = "Stacked recurrent layers (default ${DEFAULT-VALUE}).")
    int layers;
    @Option(names = "--lr", description = "Learning rate (default: train-lm's; the deep-rnn section uses 2).")
    Double lr;
    @Option(names = "--epochs", defaultValue = "100", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--warmup", defaultValue = "10", description = "Epochs left out of the slopes (default ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--no-detach", description = "Train without detaching the state (the undetached path: d2l 8.5's exercise).")
    boolean noDetach;
    @Option(names = "--max-tokens", defaultValue = "10000", description = "Train on the first N tokens, -1 = all (default ${DEFAULT-VALUE}).")
    int maxTokens;
    @Option(names = "--seed", defaultValue = "42", description = "Same seed, same numbers on CPU (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--report", paramLabel = "DIR", description = "Write the table and the memory plot here (e.g. notebooks-export/performance/soak).")
    Path report;

    @Override
    public Integer call() {
        if (warmup < 0 || epochs - warmup < 2) {
            throw new UserError("--warmup must leave at least 2 epochs to fit a slope: got --epochs " + epochs
                    + " --warmup " + warmup + "; raise --epochs or lower --warmup");
        }
        ModelKind kind = ModelKind.parse(model);
        LmSettings.Builder b = LmSettings.builder();
        if (lr != null) {
            b.optLr(lr);
        }
        LmSettings settings = b.optModel(kind).optHidden(hidden).optLayers(layers)
                .optEpochs(epochs).optDetach(!noDetach).optMaxTokens(maxTokens).optSeed(seed)
                .optPredictEvery(epochs).build();
        var out = spec.commandLine().getOut();
        LmResult lm = LanguageModelJob.run(settings, data.hub(), out);
        MemorySoak r = MemorySoak.of(kind.cliName(), !noDetach, warmup, lm.perplexity(), lm.seconds(),
                lm.residentMibByEpoch(), lm.outsideHeapMibByEpoch());
        out.printf("soak %s%s, %d epochs (%.1f s each), after the %d warm-up epochs: resident %.0f → %.0f MiB, "
                        + "%+.3f MiB/epoch; outside the heap %.0f → %.0f MiB, %+.3f MiB/epoch (-Xmx %d MiB)%n",
                r.model(), r.detached() ? "" : " (not detached)", r.epochs(), r.secondsPerEpoch(), r.warmUpEpochs(),
                r.residentAfterWarmUpMib(), r.residentAtEndMib(), r.residentSlopeMibPerEpoch(),
                r.outsideHeapAfterWarmUpMib(), r.outsideHeapAtEndMib(), r.outsideHeapSlopeMibPerEpoch(),
                Runtime.getRuntime().maxMemory() >> 20);
        if (report != null) {
            SoakReport.write(new Report(report, "Memory soak: growth per epoch after warm-up"), r,
                    "mvn -q compile exec:java -Dexec.args=\"" + String.join(" ", spec.commandLine().getParseResult()
                            .originalArgs().stream().filter(a -> !"--json".equals(a)).toList()) + "\"",
                    Runtime.getRuntime().maxMemory() >> 20, "Measured on " + RunProvenance.today() + " on commit "
                            + RunProvenance.currentCommit() + " (" + RunProvenance.currentMachine() + ").");
            out.println("report: " + report.resolve("README.md"));
        }
        json.print(out, r.metrics());
        return 0;
    }
}
