package org.d2l.rnn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.d2l.rnn.TestData;
import org.d2l.rnn.jobs.LmResult;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.report.D2lCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What d2l shows before training and beside its code (8.5, 9.7, d2l-zh 6.4/6.5), made by our code. */
class D2lChecksTest {
    @TempDir
    Path out;

    /** 8.5 on the Time Machine's 28 tokens: one-hot rows, one-hot shape, output and state shapes of the model. */
    @Test
    void rnnScratchChecksAreD2ls() {
        List<D2lCheck> checks = RnnScratch.d2lChecks(28, 42);
        assertEquals(5, checks.size());
        checks.forEach(c -> assertTrue(c.agrees(), c.toString()));
        assertTrue(checks.get(0).ours().startsWith("[[1, 0, 0, 0,") && checks.get(0).ours().contains("], [0, 0, 1, 0,"),
                checks.get(0).ours());
        assertTrue(checks.get(1).ours().startsWith("[2, 28, 5]"), checks.get(1).ours());
        assertTrue(checks.get(2).ours().startsWith("[2, 28, 5]"), checks.get(2).ours());
        assertEquals("1", checks.get(3).ours());
        assertEquals("[2, 512]", checks.get(4).ours());
    }

    /** 9.7 at d2l's toy sizes; the masked loss through fit gives d2l's [2.3026, 1.1513, 0.0000]. */
    @Test
    void seq2seqChecksAreD2ls() {
        List<D2lCheck> checks = Seq2Seq.d2lChecks(42);
        assertEquals(7, checks.size());
        checks.forEach(c -> assertTrue(c.agrees(), c.toString()));
        assertTrue(checks.get(0).ours().startsWith("[4, 16, 7]"), checks.get(0).ours());
        assertTrue(checks.get(1).ours().startsWith("2 x [4, 16]"), checks.get(1).ours());
        assertTrue(checks.get(2).ours().startsWith("[4, 10, 7]"), checks.get(2).ours());
        assertEquals("[[1, 0, 0], [4, 5, 0]]", checks.get(4).ours());
        assertEquals("[[[1, 1, 1, 1], [-1, -1, -1, -1], [-1, -1, -1, -1]], [[1, 1, 1, 1], [1, 1, 1, 1], "
                + "[-1, -1, -1, -1]]]", checks.get(5).ours());
        assertTrue(checks.get(6).ours().startsWith("[2.3026, 1.1513, 0.0000]; the three rows as one minibatch: "
                + "Σ_i loss_i = 3.4539"), checks.get(6).ours());
    }

    /**
     * d2l-zh: 分开 and 不分开 at every prediction period, and 分开 with the untrained model; the report shows them
     * and keeps them in metrics.json.
     */
    @Test
    void jayChouPredictsFromBothPrefixesAndBeforeTraining() throws Exception {
        StringWriter printed = new StringWriter();
        RunContext quick = new RunContext(TestData.hub(), out, out.resolve("models"), 3, OptionalInt.empty(),
                new PrintWriter(printed, true), true);
        LmResult r = new JayChouRnn().run(quick).runs().values().iterator().next();
        assertEquals(List.of("分开", "不分开"), r.samplesByEpoch().stream().map(s -> s.text().startsWith("不分开")
                ? "不分开" : "分开").toList());
        assertTrue(r.untrained().startsWith("分开"), r.untrained());
        assertEquals(LmSettings.UNTRAINED_LENGTH, r.untrained().substring("分开".length()).replace("<unk>", "?").length());
        String report = Files.readString(out.resolve("jaychou-rnn").resolve("README.md"));
        assertTrue(report.contains("## Before training") && report.contains(r.untrained()), report);
        for (LmResult.EpochSample s : r.samplesByEpoch()) {
            assertTrue(report.contains("`" + s.text() + "`"), s.text());
        }
    }

    /** rnn-scratch's report carries its checks and the untrained prediction from 'time traveller '. */
    @Test
    void rnnScratchReportShowsChecksAndUntrainedPrediction() throws Exception {
        RunContext quick = new RunContext(TestData.hub(), out, out.resolve("models"), 3, OptionalInt.empty(),
                new PrintWriter(new StringWriter(), true), true);
        LanguageModelSection.Result result = new RnnScratch().run(quick);
        String report = Files.readString(out.resolve("rnn-scratch").resolve("README.md"));
        for (LmResult r : result.runs().values()) {
            // ten tokens after the prefix; the untrained model may well pick <unk>, as d2l's can
            assertTrue(r.untrained().startsWith("time traveller ") && r.untrained().substring("time traveller ".length())
                    .replace("<unk>", "?").length() == LmSettings.UNTRAINED_LENGTH, r.untrained());
            assertTrue(report.contains(r.untrained()));
        }
        assertTrue(report.contains("`F.one_hot(X.T, 28).shape`") && report.contains("| yes |")
                && !report.contains("**no**"), report);
        assertTrue(Files.readString(out.resolve("rnn-scratch").resolve("metrics.json")).contains("\"d2l_checks\""));
    }
}
