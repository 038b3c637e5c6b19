package org.d2l.rnn.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmResult;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.report.Charts.Series;
import org.d2l.rnn.train.MemorySnapshot;

/** The report of a language-model section: settings, perplexity curves, our numbers beside the reference's, text. */
public final class LmReport {
    /** The key of a run's metrics under which its PyTorch reference is kept. */
    public static final String REFERENCE_KEY = "pytorch_reference";
    /** The key of a run's metrics that holds the resident set once the run had ended. */
    public static final String RESIDENT_AFTER_RUN_KEY = "resident_mib_after_run";
    /** The key of a run's metrics that holds the Java heap committed once the run had ended. */
    public static final String HEAP_AFTER_RUN_KEY = "heap_committed_mib_after_run";
    /** The key of a run's metrics that holds the resident set when the run started: its own baseline. */
    public static final String RESIDENT_AT_START_KEY = "resident_mib_at_run_start";
    /** The key of a run's metrics that holds the Java heap committed when the run started. */
    public static final String HEAP_AT_START_KEY = "heap_committed_mib_at_run_start";
    /** The key of a run's metrics that holds the JVM's code and class metadata (committed) when the run started. */
    public static final String CODE_AT_START_KEY = "code_metadata_mib_at_run_start";
    /** The key of a run's metrics that holds the JVM's code and class metadata (committed) once the run had ended. */
    public static final String CODE_AFTER_RUN_KEY = "code_metadata_mib_after_run";

    private LmReport() {
    }

    /**
     * The PyTorch reference's run for one of ours (../shared/reference/pytorch), to print and plot beside it.
     *
     * @param name        what it is, e.g. "PyTorch nn.LSTM (concise)" — which reference is which
     * @param source      its file in the shared folder
     * @param command     the command that made it
     * @param checkpoints the epochs the trajectory table lists
     */
    public record Reference(String name, String source, String command, double[] perplexityByEpoch,
                            List<Integer> checkpoints, String generation, double tokensPerSec) {
        public double finalPerplexity() {
            return perplexityByEpoch[perplexityByEpoch.length - 1];
        }

        /** What metrics.json keeps of it, so that the report can be rendered again without the shared folder. */
        Map<String, Object> metrics() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("source", source);
            m.put("command", command);
            m.put("perplexity_by_epoch", perplexityByEpoch);
            m.put("generation", generation);
            m.put("tokens_per_sec", tokensPerSec);
            return m;
        }
    }

    /**
     * One run of the section; {@code reference} may be null where the reference has no such run; {@code memory}:
     * the process at the run's start (its baseline) and once the run had ended and released its memory.
     */
    public record Row(String label, LmSettings settings, LmResult result, Reference reference, RunMemory memory) {
        public double residentAfterRunMib() {
            return memory.afterRun().residentMib();
        }
    }

    /**
     * The process's memory when a run started and once it had ended (and given back what it held); {@link
     * MemorySnapshot#UNKNOWN} where a report from before it was recorded has no such number.
     */
    public record RunMemory(MemorySnapshot atStart, MemorySnapshot afterRun) {
        public static final RunMemory UNKNOWN = new RunMemory(MemorySnapshot.UNKNOWN, MemorySnapshot.UNKNOWN);

        /** What metrics.json keeps of it (only the numbers that were measured). */
        Map<String, Object> metrics() {
            Map<String, Object> m = new LinkedHashMap<>();
            putKnown(m, RESIDENT_AT_START_KEY, atStart.residentMib());
            putKnown(m, HEAP_AT_START_KEY, atStart.heapCommittedMib());
            putKnown(m, CODE_AT_START_KEY, atStart.codeAndMetadataMib());
            putKnown(m, RESIDENT_AFTER_RUN_KEY, afterRun.residentMib());
            putKnown(m, HEAP_AFTER_RUN_KEY, afterRun.heapCommittedMib());
            putKnown(m, CODE_AFTER_RUN_KEY, afterRun.codeAndMetadataMib());
            return m;
        }

        /** Read back from a run's metrics; a key that is absent reads as NaN. */
        public static RunMemory fromMetrics(Map<?, ?> run) {
            return new RunMemory(new MemorySnapshot(number(run, RESIDENT_AT_START_KEY), number(run, HEAP_AT_START_KEY),
                    number(run, CODE_AT_START_KEY)), new MemorySnapshot(number(run, RESIDENT_AFTER_RUN_KEY),
                    number(run, HEAP_AFTER_RUN_KEY), number(run, CODE_AFTER_RUN_KEY)));
        }

        private static void putKnown(Map<String, Object> m, String key, double v) {
            if (!Double.isNaN(v)) {
                m.put(key, v);
            }
        }

        private static double number(Map<?, ?> run, String key) {
            return run.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
        }
    }

    /** The key of metrics.json under which a section's {@link D2lCheck}s are kept. */
    public static final String CHECKS_KEY = "d2l_checks";

    public static void write(Report report, String summary, List<Row> rows, String command) {
        write(report, summary, null, rows, command, List.of());
    }

    /**
     * With an answer (an exercise's): one paragraph drawn from the numbers, right after the question; and d2l's
     * checks before training, if the section has any.
     */
    public static void write(Report report, String summary, String answer, List<Row> rows, String command,
                             List<D2lCheck> checks) {
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
        beforeTraining(report, rows, checks);
        report.heading("Results").table(List.of("run", "perplexity", "PyTorch reference", "tokens/s", "time (s)",
                "time per epoch (s)", "parameters",
                "resident set, MiB: after 10% of epochs → last, change (outside the Java heap)"), rows.stream().map(r -> List.<Object>of(r.label(),
                r.result().diverged() != null ? "**diverged** in epoch " + (r.result().perplexityByEpoch().length + 1)
                        : fmt(r.result().perplexity()),
                r.reference() == null ? "—" : fmt(r.reference().finalPerplexity()) + " (" + r.reference().name() + ")",
                String.format("%.0f", r.result().tokensPerSec()), String.format("%.0f", r.result().seconds()),
                String.format("%.2f", r.result().seconds() / Math.max(1, r.result().perplexityByEpoch().length)),
                r.result().params(), memoryCell(r.result().memoryMib()))).toList());
        for (Row r : rows) {
            if (r.result().diverged() != null) {
                report.paragraph("**" + r.label() + " stopped early**: " + r.result().diverged()
                        + ". The curve below shows its epochs up to then; it exported no model.");
            }
        }
        d2lPrintout(report, rows);
        trajectory(report, rows);
        List<Series> curves = new ArrayList<>();
        boolean anyReference = false;
        for (Row r : rows) {
            if (r.result().perplexityByEpoch().length > 0) { // a run that diverged in its first epoch has no curve
                curves.add(Series.of(r.label(), r.result().perplexityByEpoch()));
            }
            if (r.reference() != null) {
                curves.add(Series.of(r.reference().name(), r.reference().perplexityByEpoch()).asDashed());
                anyReference = true;
            }
        }
        if (!curves.isEmpty()) {
            report.figure("perplexity", Charts.lines("Perplexity", "epoch", "perplexity", curves),
                    "Training perplexity by epoch" + (anyReference ? "; dashed: the PyTorch reference run" : ""));
        }
        gradientNorms(report, rows);
        List<Series> memory = new ArrayList<>();
        for (Row r : rows) {
            LmResult result = r.result();
            // a resumed run measured only the epochs after its checkpoint
            if (result.outsideHeapMibByEpoch() == null) { // a run from before memory was recorded by epoch
                continue;
            }
            int first = result.perplexityByEpoch().length - result.outsideHeapMibByEpoch().length + 1;
            if (result.residentMibByEpoch() != null && result.residentMibByEpoch().length > 0) {
                memory.add(Series.of(r.label() + ": resident set", first, result.residentMibByEpoch()));
            }
            if (result.outsideHeapMibByEpoch() != null && result.outsideHeapMibByEpoch().length > 0) {
                memory.add(Series.of(r.label() + ": outside the Java heap", first, result.outsideHeapMibByEpoch()));
            }
        }
        if (!memory.isEmpty()) {
            report.figure("memory", Charts.byEpoch("Memory after every epoch", "MiB", memory),
                    "The process's resident set and its part outside the Java heap (ND4J buffers, code, metaspace) "
                            + "after every epoch: a leak would climb without bound");
        }
        if (rows.size() > 1) {
            memoryBetweenRuns(report, rows);
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
        rows.forEach(r -> {
            Map<String, Object> m = new LinkedHashMap<>(r.result().metrics());
            m.putAll(r.memory().metrics());
            if (r.reference() != null) {
                m.put(REFERENCE_KEY, r.reference().metrics());
            }
            metrics.put(r.label(), m);
        });
        if (!checks.isEmpty()) {
            metrics.put(CHECKS_KEY, checks);
        }
        report.metrics(metrics).write();
    }

    /**
     * What d2l shows before it trains: its checks of the encoding and shapes, and the untrained model's prediction
     * (10 tokens of noise: the reason for training).
     */
    private static void beforeTraining(Report report, List<Row> rows, List<D2lCheck> checks) {
        List<Row> untrained = rows.stream().filter(r -> r.result().untrained() != null).toList();
        if (checks.isEmpty() && untrained.isEmpty()) {
            return;
        }
        report.heading("Before training");
        if (!checks.isEmpty()) {
            report.checks(checks);
        }
        if (!untrained.isEmpty()) {
            String prefix = untrained.get(0).settings().untrainedPrefix();
            StringBuilder out = new StringBuilder();
            for (Row r : untrained) {
                // quoted as d2l's notebook shows the string: a trailing space is a predicted token
                out.append(untrained.size() > 1 ? r.label() + ": " : "").append('\'').append(r.result().untrained())
                        .append("'\n");
            }
            report.paragraph("The untrained model's greedy prediction of " + LmSettings.UNTRAINED_LENGTH
                    + " tokens after the prefix '" + prefix + "' (d2l's `predict_ch8`, d2l-zh's `predict_rnn`, with "
                    + LmSettings.UNTRAINED_LENGTH + " tokens, before training):").output(out.toString());
        }
    }

    /**
     * What d2l's {@code train_ch8} prints at the end of a run — "perplexity 1.0, 63570.9 tokens/sec on cpu" and the
     * two predictions — so a reader can hold it beside the book's output.
     */
    private static void d2lPrintout(Report report, List<Row> rows) {
        StringBuilder out = new StringBuilder();
        for (Row r : rows) {
            if (r.result().diverged() != null) {
                continue;
            }
            if (rows.size() > 1) {
                out.append("# ").append(r.label()).append('\n');
            }
            out.append(String.format("perplexity %.1f, %.1f tokens/sec on cpu%n", r.result().perplexity(),
                    r.result().tokensPerSec()));
            r.result().generations().values().forEach(text -> out.append(text).append('\n'));
        }
        if (!out.isEmpty()) {
            report.heading("What d2l prints").output(out.toString());
        }
    }

    /**
     * The global gradient norm before clipping, per epoch: its mean and largest value over the epoch's minibatches,
     * and how many minibatches were clipped — what an answer about exploding gradients or clipping needs.
     */
    private static void gradientNorms(Report report, List<Row> rows) {
        List<Series> curves = new ArrayList<>();
        List<List<?>> table = new ArrayList<>();
        for (Row r : rows) {
            LmResult x = r.result();
            if (x.gradNormMeanByEpoch() == null || x.gradNormMeanByEpoch().length == 0) {
                continue;
            }
            int first = x.perplexityByEpoch().length - x.gradNormMeanByEpoch().length + 1;
            curves.add(Series.of(r.label() + ": mean", first, x.gradNormMeanByEpoch()));
            curves.add(Series.of(r.label() + ": largest", first, x.gradNormMaxByEpoch()).asDashed());
            double clipped = java.util.Arrays.stream(x.clippedShareByEpoch()).filter(Double::isFinite).average().orElse(0);
            table.add(List.of(r.label(), fmt(java.util.Arrays.stream(x.gradNormMeanByEpoch()).filter(Double::isFinite)
                            .average().orElse(Double.NaN)), fmt(maxNorm(x)), String.format("%.1f%%", 100 * clipped)));
        }
        if (curves.isEmpty()) {
            return;
        }
        report.heading("Gradient norms").table(List.of("run", "global gradient norm before clipping: mean over all "
                + "minibatches' epoch means", "largest", "minibatches clipped"), table);
        report.figure("gradient-norm", Charts.lines("Global gradient norm before clipping", "epoch", "norm", curves),
                "Per epoch: the mean (solid) and the largest (dashed) global gradient norm over its minibatches, "
                        + "before clipping");
    }

    /** The largest global gradient norm before clipping over the whole run (NaN when not recorded). */
    public static double maxNorm(LmResult r) {
        return r.gradNormMaxByEpoch() == null ? Double.NaN
                : java.util.Arrays.stream(r.gradNormMaxByEpoch()).filter(Double::isFinite).max().orElse(Double.NaN);
    }

    /** Ours and the reference's perplexity at the epochs the reference's table lists, and which run it is. */
    private static void trajectory(Report report, List<Row> rows) {
        List<List<?>> table = new ArrayList<>();
        List<List<?>> runs = new ArrayList<>();
        for (Row r : rows) {
            Reference ref = r.reference();
            if (ref == null) {
                continue;
            }
            runs.add(List.of(r.label(), ref.name(), "`" + ref.command() + "`", "`" + ref.source() + "`"));
            double[] ours = r.result().perplexityByEpoch();
            for (int epoch : ref.checkpoints()) {
                if (epoch <= ours.length && epoch <= ref.perplexityByEpoch().length) {
                    table.add(List.of(r.label(), epoch, fmt(ours[epoch - 1]), fmt(ref.perplexityByEpoch()[epoch - 1]),
                            String.format("%+.3f", ours[epoch - 1] - ref.perplexityByEpoch()[epoch - 1])));
                }
            }
        }
        if (!table.isEmpty()) {
            report.heading("Perplexity against the PyTorch reference")
                    .table(List.of("run", "PyTorch reference", "its command", "its per-epoch history"), runs)
                    .table(List.of("run", "epoch", "ours", "PyTorch", "ours − PyTorch"), table);
        }
    }

    /**
     * The runs of one JVM, each measured from its own start: the resident set when it started (split into the
     * committed Java heap, the JVM's code and class metadata, and the rest), that start against the first run's with
     * and without the JVM's one-time warm-up (code and class metadata), and the run's last epoch and its end
     * against its own start. Runs whose start was not recorded (reports from before it was) fall back to the
     * resident set after each run against the first's.
     */
    private static void memoryBetweenRuns(Report report, List<Row> rows) {
        boolean starts = rows.stream().noneMatch(r -> Double.isNaN(r.memory().atStart().residentMib()));
        if (!starts) {
            if (rows.stream().anyMatch(r -> Double.isNaN(r.residentAfterRunMib()))) {
                return;
            }
            double first = rows.get(0).residentAfterRunMib();
            report.heading("Memory between runs").paragraph("All runs share one JVM. Each run gives back what it "
                    + "held outside the Java heap when it ends; the resident set after each run, against the first's "
                    + "(this run predates the per-run baselines):")
                    .table(List.of("after run", "resident set, MiB", "against the first run"), rows.stream()
                            .map(r -> List.<Object>of(r.label(), String.format("%.0f", r.residentAfterRunMib()),
                                    String.format("%+.1f%%", 100 * (r.residentAfterRunMib() / first - 1)))).toList());
            return;
        }
        MemorySnapshot first = rows.get(0).memory().atStart();
        report.heading("Memory of each run, from its own baseline").paragraph("All runs share one JVM, one after "
                + "the other. When a run ends it gives back what it held: its network's buffers outside the Java heap, "
                + "then, with one garbage collection, its garbage and the heap it made the collector grow. Each run's "
                + "baseline is the resident set when it started (ND4J's libraries already loaded), split into the "
                + "committed Java heap, the JVM's compiled code and class metadata (code cache, metaspace), and the "
                + "rest (ND4J's buffers, glibc's arenas, thread stacks, the JVM's own memory). Code and class metadata "
                + "grow once, while the JVM warms up: the classes the first run loads and the methods it gets "
                + "compiled stay for the runs after it, and are not memory a run holds. So each baseline is given "
                + "against the first run's as it is, and less that warm-up (its growth in code and class metadata "
                + "since the first run started). That comparison can come out below the first run's: the rest of the "
                + "first baseline may still hold the JIT compiler's working memory of the JVM's start (its arenas: "
                + "10-50 MiB measured), freed once those compilations are done. The resident set is the committed "
                + "Java heap that has been touched "
                + "plus everything outside the heap; \"outside the heap\" is the resident set minus the committed heap, "
                + "negative while part of the committed heap has not been touched yet.")
                .table(List.of("run", "baseline: resident set, MiB (heap committed; code + class metadata; the rest)",
                        "baseline against the first run's", "of which the JVM's warm-up (code + class metadata since "
                                + "the first run's start), MiB", "baseline against the first run's, less the warm-up",
                        "last epoch against its baseline", "largest epoch against its baseline",
                        "after the run (released) against its baseline", "outside the heap: baseline → after the run, MiB"),
                        rows.stream().map(r -> {
                            MemorySnapshot start = r.memory().atStart();
                            MemorySnapshot after = r.memory().afterRun();
                            double[] byEpoch = r.result().residentMibByEpoch();
                            boolean epochs = byEpoch != null && byEpoch.length > 0;
                            double warmUp = start.codeAndMetadataMib() - first.codeAndMetadataMib();
                            boolean split = !Double.isNaN(warmUp);
                            return List.<Object>of(r.label(), baseline(start),
                                    String.format("%+.1f%%", 100 * (start.residentMib() / first.residentMib() - 1)),
                                    split ? String.format("%.0f", warmUp) : "—",
                                    split ? String.format("%+.1f%%", 100 * ((start.residentMib() - warmUp)
                                            / first.residentMib() - 1)) : "—",
                                    epochs ? change(byEpoch[byEpoch.length - 1], start.residentMib()) : "—",
                                    epochs ? change(java.util.Arrays.stream(byEpoch).max().orElseThrow(),
                                            start.residentMib()) : "—",
                                    change(after.residentMib(), start.residentMib()),
                                    String.format("%.0f → %.0f", start.outsideHeapMib(), after.outsideHeapMib()));
                        }).toList());
    }

    /**
     * "296 (110; 68; 118)": the resident set, the committed heap, code and class metadata, the rest; "296 (110; 186)"
     * (heap; outside it) for a run from before code and class metadata were recorded.
     */
    public static String baseline(MemorySnapshot m) {
        return Double.isNaN(m.codeAndMetadataMib())
                ? String.format("%.0f (%.0f; %.0f)", m.residentMib(), m.heapCommittedMib(), m.outsideHeapMib())
                : String.format("%.0f (%.0f; %.0f; %.0f)", m.residentMib(), m.heapCommittedMib(),
                        m.codeAndMetadataMib(), m.restMib());
    }

    /** "412 MiB, +3.1%": {@code mib} and its change against {@code base}. */
    private static String change(double mib, double base) {
        return Double.isNaN(mib) ? "—" : String.format("%.0f MiB, %+.1f%%", mib, 100 * (mib / base - 1));
    }

    /** "after 10% → last (outside the heap)"; runs from before the split recorded only the first and last epoch. */
    private static String memoryCell(double[] mib) {
        if (mib == null || mib.length < 2) {
            return "—";
        }
        return mib.length < 4 ? String.format("%.0f → %.0f (epoch 1 → last; not split)", mib[0], mib[1])
                : String.format("%.0f → %.0f, %+.1f%% (%.0f → %.0f)", mib[0], mib[1], 100 * (mib[1] / mib[0] - 1),
                        mib[2], mib[3]);
    }

    private static String fmt(double v) {
        return String.format("%.3f", v);
    }
}
