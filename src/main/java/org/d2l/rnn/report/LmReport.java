package org.d2l.rnn.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmResult;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.report.Charts.Series;

/** The report of a language-model section: settings, perplexity curves, our numbers beside the reference's, text. */
public final class LmReport {
    private LmReport() {
    }

    /** The PyTorch reference's result for a run (../shared/reference), to print beside ours. */
    public record Reference(Map<Integer, Double> perplexityByEpoch, String generation) {
        double finalPerplexity() {
            return perplexityByEpoch.entrySet().stream().max(Map.Entry.comparingByKey()).orElseThrow().getValue();
        }
    }

    /**
     * One run of the section; {@code reference} may be null where the reference has no such run;
     * {@code residentAfterRunMib}: the process's resident set once the run had ended and released its memory.
     */
    public record Row(String label, LmSettings settings, LmResult result, Reference reference,
                      double residentAfterRunMib) {
    }

    public static void write(Report report, String summary, List<Row> rows, String command) {
        write(report, summary, null, rows, command);
    }

    /** With an answer (an exercise's): one paragraph drawn from the numbers, right after the question. */
    public static void write(Report report, String summary, String answer, List<Row> rows, String command) {
        report.paragraph(summary);
        if (answer != null) {
            report.paragraph("**Answer.** " + answer);
        }
        report.command(command);
        report.heading("Settings").table(List.of("run", "model", "hidden x layers", "batch x steps", "optimizer",
                "clip θ", "sampling", "epochs", "tokens", "seed"), rows.stream().map(r -> {
                    LmSettings s = r.settings();
                    return List.<Object>of(r.label(), s.model().cliName(), s.hidden() + " x " + s.layers(),
                            s.batch() + " x " + s.steps(), s.optimizer() + " lr " + s.lr(), s.clip(),
                            s.sampling().name().toLowerCase() + (s.randomOffset() ? "" : ", no offset")
                                    + (s.carryAcrossEpochs() ? ", state kept across epochs" : ""),
                            s.epochs(), r.result().corpusTokens() + " of " + s.dataset(), s.seed());
                }).toList());
        report.heading("Results").table(List.of("run", "perplexity", "PyTorch reference", "tokens/s", "time (s)",
                "parameters", "resident set, MiB: after 10% of epochs → last, change (outside the Java heap)"), rows.stream().map(r -> List.<Object>of(r.label(),
                r.result().diverged() != null ? "**diverged** in epoch " + (r.result().perplexityByEpoch().length + 1)
                        : fmt(r.result().perplexity()),
                r.reference() == null ? "—" : fmt(r.reference().finalPerplexity()),
                String.format("%.0f", r.result().tokensPerSec()), String.format("%.0f", r.result().seconds()),
                r.result().params(), String.format("%.0f → %.0f, %+.1f%% (%.0f → %.0f)", r.result().memoryMib()[0],
                        r.result().memoryMib()[1], 100 * (r.result().memoryMib()[1] / r.result().memoryMib()[0] - 1),
                        r.result().memoryMib()[2], r.result().memoryMib()[3]))).toList());
        for (Row r : rows) {
            if (r.result().diverged() != null) {
                report.paragraph("**" + r.label() + " stopped early**: " + r.result().diverged()
                        + ". The curve below shows its epochs up to then; it exported no model.");
            }
        }
        trajectory(report, rows);
        List<Series> curves = new ArrayList<>();
        for (Row r : rows) {
            if (r.result().perplexityByEpoch().length > 0) { // a run that diverged in its first epoch has no curve
                curves.add(Series.of(r.label(), r.result().perplexityByEpoch()));
            }
        }
        if (!curves.isEmpty()) {
            report.figure("perplexity", Charts.lines("Perplexity", "epoch", "perplexity", curves), "Training perplexity by epoch");
        }
        List<Series> memory = new ArrayList<>();
        for (Row r : rows) {
            LmResult result = r.result();
            // a resumed run measured only the epochs after its checkpoint
            int first = result.perplexityByEpoch().length - result.outsideHeapMibByEpoch().length + 1;
            if (result.residentMibByEpoch() != null && result.residentMibByEpoch().length > 0) {
                memory.add(Series.of(r.label() + ": resident set", first, result.residentMibByEpoch()));
            }
            if (result.outsideHeapMibByEpoch().length > 0) {
                memory.add(Series.of(r.label() + ": outside the Java heap", first, result.outsideHeapMibByEpoch()));
            }
        }
        if (!memory.isEmpty()) {
            report.figure("memory", Charts.byEpoch("Memory after every epoch", "MiB", memory),
                    "The process's resident set and its part outside the Java heap (ND4J buffers, code, metaspace) "
                            + "after every epoch: a leak would climb without bound");
        }
        if (rows.size() > 1) {
            double first = rows.get(0).residentAfterRunMib();
            report.heading("Memory between runs").paragraph("All runs share one JVM. Each run gives back what it "
                    + "held outside the Java heap when it ends; the resident set after each run, against the first's:")
                    .table(List.of("after run", "resident set, MiB", "against the first run"), rows.stream()
                            .map(r -> List.<Object>of(r.label(), String.format("%.0f", r.residentAfterRunMib()),
                                    String.format("%+.1f%%", 100 * (r.residentAfterRunMib() / first - 1)))).toList());
        }
        report.heading("Generated text (greedy)");
        for (Row r : rows) {
            StringBuilder out = new StringBuilder();
            r.result().generations().forEach((prefix, text) -> out.append(text).append('\n'));
            if (r.reference() != null && r.reference().generation() != null) {
                out.append("PyTorch reference: ").append(r.reference().generation()).append('\n');
            }
            report.paragraph("**" + r.label() + "**").output(out.toString());
        }
        report.heading("During training").table(List.of("run", "epoch", "perplexity", "generation"),
                rows.stream().flatMap(r -> r.result().samplesByEpoch().stream().map(s -> List.<Object>of(r.label(),
                        s.epoch(), fmt(s.perplexity()), "`" + s.text() + "`"))).toList());
        Map<String, Object> metrics = new LinkedHashMap<>();
        rows.forEach(r -> metrics.put(r.label(), r.result().metrics()));
        report.metrics(metrics).write();
    }

    /** Ours and the reference's perplexity at the epochs the reference printed. */
    private static void trajectory(Report report, List<Row> rows) {
        List<List<?>> table = new ArrayList<>();
        for (Row r : rows) {
            if (r.reference() == null) {
                continue;
            }
            double[] ours = r.result().perplexityByEpoch();
            new java.util.TreeMap<>(r.reference().perplexityByEpoch()).forEach((epoch, ref) -> {
                if (epoch <= ours.length) {
                    table.add(List.of(r.label(), epoch, fmt(ours[epoch - 1]), fmt(ref)));
                }
            });
        }
        if (!table.isEmpty()) {
            report.heading("Perplexity against the PyTorch reference").table(List.of("run", "epoch", "ours", "PyTorch"), table);
        }
    }

    private static String fmt(double v) {
        return String.format("%.3f", v);
    }
}
