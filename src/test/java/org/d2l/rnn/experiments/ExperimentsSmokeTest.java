package org.d2l.rnn.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.d2l.rnn.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each section runs end to end on the real data and writes a complete report. */
class ExperimentsSmokeTest {
    @TempDir
    Path out;
    private final StringWriter printed = new StringWriter();

    private RunContext quick() {
        return new RunContext(TestData.hub(), out, out.resolve("models"), 3, OptionalInt.empty(),
                new PrintWriter(printed, true), true);
    }

    /** Every language-model section runs end to end (1 epoch, 2 minibatches) and exports its model. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"rnn-scratch", "rnn-concise", "gru-scratch", "gru",
        "lstm-scratch", "lstm", "deep-rnn", "bi-rnn", "jaychou-rnn", "jaychou-scratch"})
    void languageModelSectionsRunQuickly(String section) throws Exception {
        Experiment e = Experiments.byName(section);
        LanguageModelSection.Result r = (LanguageModelSection.Result) e.run(quick());
        for (var run : r.runs().values()) {
            assertEquals(1, run.perplexityByEpoch().length);
            assertTrue(run.perplexity() > 1 && run.perplexity() < 1.5 * run.vocabSize(), section + " " + run.perplexity());
            assertTrue(Files.isRegularFile(Path.of(run.savedTo())));
        }
        assertReport(section, "perplexity");
    }

    /** Every exercise runs end to end (1 epoch, 2 minibatches per run) and answers in its report; the index links it. */
    @Test
    void exercisesRunQuicklyAnswerAndAreIndexed() throws Exception {
        for (var e : org.d2l.rnn.experiments.exercises.Exercises.all()) {
            e.run(quick());
            Path dir = out.resolve(e.reportDir());
            String report = Files.readString(dir.resolve("README.md"));
            assertTrue(report.contains("**Question.**") && report.contains("**Answer.**"), report);
            try (var files = Files.list(dir)) {
                assertTrue(files.anyMatch(f -> f.toString().endsWith(".png")), "a plot in " + dir);
            }
        }
        String index = Files.readString(out.resolve("exercises").resolve("README.md"));
        for (var e : org.d2l.rnn.experiments.exercises.Exercises.all()) {
            assertTrue(index.contains("](" + e.reportDir().substring("exercises/".length()) + "/README.md)"), index);
            assertTrue(index.contains("`run " + e.name() + "`"));
        }
    }

    @Test
    void machineTranslationShowsD2lsDataFigures() throws Exception {
        MachineTranslation.Result r = new MachineTranslation().run(quick());
        assertEquals(601, r.pairs(), "d2l reads one line more than the 600 asked");
        assertEquals(184, r.srcVocabSize());
        assertEquals(201, r.tgtVocabSize());
        assertEquals(10012, r.allSourceVocab(), "d2l 9.5 prints 10012");
        assertReport("machine-translation", "sentence-lengths");
    }

    @Test
    void seq2seqSectionsRunQuicklyAndExport() throws Exception {
        org.d2l.rnn.jobs.TranslationResult r = new Seq2Seq().run(quick());
        assertEquals(1, r.lossByEpoch().length);
        assertEquals(4, r.translations().size());
        assertTrue(Files.isRegularFile(Path.of(r.savedTo())));
        assertReport("seq2seq", "loss");
        BeamSearch.Result b = new BeamSearch().run(quick());
        assertTrue(b.beamOneIsGreedy());
        assertEquals(16, b.decodings().size());
        assertReport("beam-search");
    }

    /** A section whose run blows up (ReLU, absurd learning rate, no clipping) still writes its report, then fails. */
    @Test
    void aDivergedRunIsReportedAndFailsTheSection() throws Exception {
        LanguageModelSection diverging = new LanguageModelSection() {
            @Override
            protected java.util.List<Variant> variants(long seed) {
                return java.util.List.of(new Variant("relu, lr 1e9, no clipping", org.d2l.rnn.jobs.LmSettings.builder()
                        .optModel(org.d2l.rnn.models.ModelKind.RNN).optActivation("relu").optHidden(16).optLr(1e9)
                        .optClip(0).optEpochs(3).optMaxTokens(2000).optBatch(4).optSteps(10).optSeed(seed).build()));
            }

            @Override
            protected java.util.Map<String, org.d2l.rnn.report.LmReport.Reference> references() {
                return java.util.Map.of();
            }

            @Override
            protected String summary() {
                return "a run that must diverge";
            }

            @Override
            public String name() {
                return "diverging";
            }

            @Override
            public String title() {
                return "Diverging";
            }
        };
        org.d2l.rnn.UserError e = org.junit.jupiter.api.Assertions.assertThrows(org.d2l.rnn.UserError.class,
                () -> diverging.run(ctx(3, null)));
        assertTrue(e.getMessage().startsWith("training diverged at epoch 1"), e.getMessage());
        String report = Files.readString(out.resolve("diverging").resolve("README.md"));
        assertTrue(report.contains("**diverged** in epoch 1"), report);
        assertTrue(report.contains("stopped early**: training diverged"), report);
    }

    private RunContext ctx(long seed, Integer epochs) {
        return new RunContext(TestData.hub(), out, out.resolve("models"), seed,
                epochs == null ? OptionalInt.empty() : OptionalInt.of(epochs), new PrintWriter(printed, true), false);
    }

    /**
     * A report rendered again from metrics.json shows the same numbers, and says when, at which commit and with which
     * command they were produced, and that it was rendered again.
     */
    @Test
    void aReportRenderedAgainFromMetricsKeepsItsNumbersAndProvenance() throws Exception {
        Experiment e = Experiments.byName("rnn-concise");
        LanguageModelSection.Result first = (LanguageModelSection.Result) e.run(quick());
        String before = Files.readString(out.resolve("rnn-concise").resolve("README.md"));
        LanguageModelSection.Result again = (LanguageModelSection.Result) e.rerender(quick());
        String after = Files.readString(out.resolve("rnn-concise").resolve("README.md"));
        var run = first.runs().values().iterator().next();
        var rerun = again.runs().values().iterator().next();
        assertArrayEquals(run.perplexityByEpoch(), rerun.perplexityByEpoch());
        assertEquals(run.tokensPerSec(), rerun.tokensPerSec());
        String date = before.lines().filter(l -> l.startsWith("- date: ")).findFirst().orElseThrow();
        assertTrue(after.contains(date), after);
        assertTrue(after.contains("rendered again from metrics.json"), after);
        assertTrue(after.contains("run rnn-concise --seed 3 --quick"), after);
    }

    /**
     * Runs that share one JVM are each measured from their own baseline (the resident set, committed heap and the
     * JVM's code and class metadata when the run started), kept in metrics.json and shown again when the report is
     * rendered from it; each run is released before the next starts.
     */
    @Test
    void runsSharingAJvmReportTheirMemoryFromTheirOwnBaseline() throws Exception {
        Experiment e = Experiments.byName("rnn-scratch"); // two runs: sequential, then random partitioning
        int releases = org.d2l.rnn.runtime.RunRelease.releases();
        LanguageModelSection.Result r = (LanguageModelSection.Result) e.run(quick());
        assertEquals(2, r.memory().size());
        // each run gave back what the JVM held for it (its garbage, the heap it grew) before the next one started
        assertEquals(releases + 2, org.d2l.rnn.runtime.RunRelease.releases());
        Path dir = out.resolve("rnn-scratch");
        var metrics = org.d2l.rnn.io.Json.SNAKE_CASE.readTree(dir.resolve("metrics.json").toFile());
        String table = "## Memory of each run, from its own baseline";
        String readme = Files.readString(dir.resolve("README.md"));
        assertTrue(readme.contains(table), readme);
        double first = Double.NaN;
        for (var entry : r.memory().entrySet()) {
            var start = entry.getValue().atStart();
            assertTrue(start.residentMib() > 0 && start.heapCommittedMib() > 0 && start.codeAndMetadataMib() > 0,
                    entry.toString());
            var run = metrics.get(entry.getKey());
            assertEquals(start.residentMib(), run.get(org.d2l.rnn.report.LmReport.RESIDENT_AT_START_KEY).asDouble());
            assertEquals(start.heapCommittedMib(), run.get(org.d2l.rnn.report.LmReport.HEAP_AT_START_KEY).asDouble());
            assertEquals(start.codeAndMetadataMib(), run.get(org.d2l.rnn.report.LmReport.CODE_AT_START_KEY).asDouble());
            assertEquals(entry.getValue().afterRun().residentMib(),
                    run.get(org.d2l.rnn.report.LmReport.RESIDENT_AFTER_RUN_KEY).asDouble());
            first = Double.isNaN(first) ? start.residentMib() : first;
            String row = String.format("| %s | %s | %+.1f%% |", entry.getKey(), org.d2l.rnn.report.LmReport.baseline(start),
                    100 * (start.residentMib() / first - 1));
            assertTrue(org.d2l.rnn.report.LmReport.baseline(start).matches("\\d+ \\(\\d+; \\d+; -?\\d+\\)"), row);
            assertTrue(readme.contains(row), row + " in " + readme);
        }
        e.rerender(quick());
        String again = Files.readString(dir.resolve("README.md"));
        assertEquals(readme.substring(readme.indexOf(table), readme.indexOf("## Generated text")),
                again.substring(again.indexOf(table), again.indexOf("## Generated text")));
    }

    /** Every report is headed by its date, commit, machine (cores, BLAS, threads) and exact command. */
    private void assertReport(String section, String... pngs) throws java.io.IOException {
        Path dir = out.resolve(section);
        assertTrue(Files.isRegularFile(dir.resolve("README.md")));
        assertTrue(Files.isRegularFile(dir.resolve("metrics.json")));
        String readme = Files.readString(dir.resolve("README.md"));
        for (String line : new String[] {"- date: 20", "- commit: ", "- machine: ", " cores (", "OpenBLAS ", "threads ",
            "- command: `", "mvn -q compile exec:java"}) {
            assertTrue(readme.contains(line), line + " in " + readme);
        }
        assertTrue(Files.readString(dir.resolve("metrics.json")).contains("\"report\" : {"));
        // surefire's heap limit is part of how this JVM was launched, so the command carries it
        assertTrue(readme.contains("- command: `MAVEN_OPTS=\"-Xmx4g\" mvn -q compile exec:java"), readme);
        for (String png : pngs) {
            assertTrue(Files.size(dir.resolve(png + ".png")) > 1000, png);
        }
    }

    @Test
    void sequenceModelsLearnTheSineAndShowErrorAccumulation() throws Exception {
        SequenceModels.Result r = new SequenceModels().run(ctx(1, null));
        double[] loss = r.lossByEpoch();
        assertEquals(5, loss.length);
        assertTrue(loss[4] < loss[0], "loss falls");
        assertTrue(r.trainLoss() < 0.1, "close to the noise floor 0.04: " + r.trainLoss());
        assertTrue(r.onestepTestMse() < 0.1);
        assertTrue(r.multistepMse() > 2 * r.onestepTestMse(), "multi-step predictions drift");
        assertTrue(r.kStepMse().get(64) > r.kStepMse().get(1), "error grows with k");
        assertReport("sequence", "data", "predictions", "k-step");
    }

    @Test
    void sameSeedSameNumbers() {
        SequenceModels.Result a = new SequenceModels().run(ctx(7, 2));
        SequenceModels.Result b = new SequenceModels().run(ctx(7, 2));
        assertArrayEquals(a.lossByEpoch(), b.lossByEpoch());
        assertEquals(a.kStepMse(), b.kStepMse());
    }

    @Test
    void textPreprocessingPrintsD2lsFigures() throws Exception {
        TextPreprocessing.Result r = new TextPreprocessing().run(ctx(0, null));
        assertEquals(3221, r.lines());
        assertEquals(4580, r.wordVocabSize());
        assertEquals(170_580, r.charTokens());
        assertEquals(28, r.charVocabSize());
        assertTrue(printed.toString().contains("the time machine by h g wells"));
        assertReport("text-preprocessing");
    }

    @Test
    void languageModelsDatasetFitsZipfAndPartitions() throws Exception {
        LanguageModelsDataset.Result r = new LanguageModelsDataset().run(ctx(0, null));
        assertTrue(r.unigramExponent() > r.bigramExponent() && r.bigramExponent() > r.trigramExponent());
        assertTrue(r.randomBatches() >= 151 && r.sequentialBatches() >= 151);
        assertTrue(printed.toString().contains("sequential partitioning of 0..34"));
        assertReport("language-models", "zipf");
    }
}
