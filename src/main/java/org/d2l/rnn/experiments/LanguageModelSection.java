package org.d2l.rnn.experiments;

import org.d2l.rnn.io.RunResult;

import org.d2l.rnn.UserError;
import org.d2l.rnn.report.Report;
import org.d2l.rnn.runtime.MemoryProbe;
import org.d2l.rnn.runtime.NativeRuntime;
import org.d2l.rnn.runtime.RunRelease;
import org.d2l.rnn.runtime.RunProvenance;
import org.d2l.rnn.train.MemorySnapshot;
import org.d2l.rnn.train.TrainingDiverged;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LanguageModelJob;
import org.d2l.rnn.jobs.LmResult;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.report.D2lCheck;
import org.d2l.rnn.report.LmReport;

/**
 * A d2l language-model section: one or more training runs (variants) with d2l's settings, reported side by
 * side with the PyTorch reference. A section class only names its variants and its reference numbers.
 */
public abstract class LanguageModelSection implements Experiment {

    /** One training run of the section. */
    public record Variant(String label, LmSettings settings) {
    }

    /**
     * The section's runs, keyed by variant label, and the process's memory at each one's start and after it (the
     * runs share the JVM: memory a run kept would show as a rising baseline from run to run).
     */
    public record Result(Map<String, LmResult> runs, Map<String, LmReport.RunMemory> memory)
            implements RunResult {
    }

    protected abstract List<Variant> variants(long seed);

    /** The PyTorch reference's result per variant label (absent where it has no such run). */
    protected abstract Map<String, LmReport.Reference> references();

    /** What the report says before the numbers: the point of the section. */
    protected abstract String summary();

    @Override
    public Result run(RunContext ctx) {
        Map<String, LmResult> runs = new LinkedHashMap<>();
        Map<String, LmReport.RunMemory> memory = new LinkedHashMap<>();
        List<LmReport.Row> rows = new java.util.ArrayList<>();
        List<Variant> variants = variants(ctx.seed());
        NativeRuntime.init(); // ND4J's libraries load once per JVM: before the first run's baseline, not part of it
        for (Variant v : variants) {
            String suffix = variants.size() == 1 ? "" : "-" + slug(v.label());
            LmSettings s = v.settings().toBuilder().optEpochs(ctx.epochsOr(v.settings().epochs()))
                    .optSave(ctx.modelsDir().resolve(name() + suffix + ".zip")).build();
            if (ctx.quick()) { // two minibatches whatever the random offset
                s = s.toBuilder().optMaxTokens(2 * s.batch() * s.steps() + s.steps() + 1).build();
            }
            ctx.out().println("== " + title() + ": " + v.label());
            MemoryProbe.print("start of " + v.label());
            MemorySnapshot atStart = MemorySnapshot.now();
            LmResult result;
            try {
                result = LanguageModelJob.run(s, ctx.hub(), ctx.out());
            } catch (TrainingDiverged e) {
                result = LmResult.diverged(s, e); // reported, then the run fails below
            }
            runs.put(v.label(), result);
            // the job freed its network's native memory; the heap the run grew goes back before the next run starts
            MemoryProbe.print("end of " + v.label());
            RunRelease.giveBack();
            LmReport.RunMemory m = new LmReport.RunMemory(atStart, MemorySnapshot.now());
            MemoryProbe.print("released " + v.label());
            memory.put(v.label(), m);
            rows.add(new LmReport.Row(v.label(), s, result, references().get(v.label()), m));
        }
        Report report = ctx.report(this);
        LmReport.write(report, summary(), answer(runs), rows, ctx.command(this), checks(ctx));
        for (LmResult r : runs.values()) {
            if (r.diverged() != null && !divergenceIsAnAnswer()) {
                throw new UserError(r.diverged() + " (the report in " + report.dir() + " shows the run up to then)");
            }
        }
        return new Result(runs, memory);
    }

    /**
     * Writes the report again from its metrics.json, without training: today's plots, tables and answer over the
     * numbers of the run that made it, headed by that run's date, commit and command (from metrics.json, or for a
     * report older than that, from git's history of the file and the command its README printed).
     */
    @Override
    public Result rerender(RunContext ctx) {
        java.nio.file.Path dir = ctx.reportRoot().resolve(reportDir());
        java.nio.file.Path file = dir.resolve("metrics.json");
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new UserError(file + " does not exist; run the section first: run " + name());
        }
        Map<String, Object> metrics;
        String oldReadme;
        try {
            metrics = org.d2l.rnn.io.Json.SNAKE_CASE.readValue(file.toFile(), new com.fasterxml.jackson.core.type.TypeReference<>() { });
            java.nio.file.Path readme = dir.resolve("README.md");
            oldReadme = java.nio.file.Files.isRegularFile(readme) ? java.nio.file.Files.readString(readme) : "";
        } catch (java.io.IOException e) {
            throw new UserError(file + " is not readable JSON (" + e.getMessage() + "); run the section again: run "
                    + name());
        }
        java.util.regex.Matcher cmd = java.util.regex.Pattern.compile("(mvn -q compile exec:java -Dexec.args=\"run [^\n]*\")")
                .matcher(oldReadme);
        String command = cmd.find() ? cmd.group(1) : ctx.command(this);
        java.util.regex.Matcher seed = java.util.regex.Pattern.compile("--seed (\\d+)").matcher(command);
        long runSeed = seed.find() ? Long.parseLong(seed.group(1)) : ctx.seed();
        RunProvenance provenance = metrics.get(RunProvenance.KEY) instanceof Map<?, ?> m ? RunProvenance.fromMap(m)
                : RunProvenance.fromGitHistory(file, command);
        Map<String, LmResult> runs = new LinkedHashMap<>();
        Map<String, LmReport.RunMemory> memory = new LinkedHashMap<>();
        List<LmReport.Row> rows = new java.util.ArrayList<>();
        for (Variant v : variants(runSeed)) {
            if (!(metrics.get(v.label()) instanceof Map<?, ?> run)) {
                throw new UserError(file + " has no run '" + v.label() + "'; run the section again: run " + name());
            }
            LmResult result = org.d2l.rnn.io.Json.SNAKE_CASE.convertValue(run, LmResult.class);
            LmSettings s = v.settings().toBuilder().optEpochs(Math.max(1, result.perplexityByEpoch().length)).build();
            LmReport.RunMemory m = LmReport.RunMemory.fromMetrics(run);
            runs.put(v.label(), result);
            memory.put(v.label(), m);
            rows.add(new LmReport.Row(v.label(), s, result, references().get(v.label()), m));
        }
        // the checks are those of the run (made by the code of its commit), not recomputed
        List<D2lCheck> checks = metrics.get(LmReport.CHECKS_KEY) == null ? List.of()
                : org.d2l.rnn.io.Json.SNAKE_CASE.convertValue(metrics.get(LmReport.CHECKS_KEY),
                        new com.fasterxml.jackson.core.type.TypeReference<List<D2lCheck>>() { });
        LmReport.write(new Report(dir, "d2l " + title()).renderedFrom(provenance), summary(), answer(runs), rows,
                command, checks);
        return new Result(runs, memory);
    }

    /**
     * The checks d2l prints before training (encodings, shapes), made with our code at the section's sizes; none by
     * default.
     */
    protected List<D2lCheck> checks(RunContext ctx) {
        return List.of();
    }

    /** Whether a diverged run is a finding (an exercise about instability) rather than a failure of the section. */
    protected boolean divergenceIsAnAnswer() {
        return false;
    }

    /** What the runs answer (exercises), in one paragraph drawn from their numbers; null: no answer section. */
    protected String answer(Map<String, LmResult> runs) {
        return null;
    }

    private static String slug(String label) {
        return label.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("-$", "");
    }


}
