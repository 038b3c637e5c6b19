package org.d2l.rnn.experiments.exercises;

import java.util.ArrayList;
import java.util.List;
import org.d2l.rnn.io.RunResult;
import org.d2l.rnn.experiments.RunContext;
import org.d2l.rnn.infer.Translator;
import org.d2l.rnn.jobs.TranslationJob;
import org.d2l.rnn.jobs.TranslationSettings;
import org.d2l.rnn.report.Charts;
import org.d2l.rnn.report.Charts.Series;
import org.d2l.rnn.report.Report;
import org.d2l.rnn.seq2seq.ContextMode;

/** d2l 9.8 exercise: greedy search against beam sizes 2, 4, 8 — on the four test sentences and on unseen pairs. */
public final class ExerciseBeam implements Exercise {
    static final int[] BEAMS = {1, 2, 4, 8};
    static final int HELD_OUT = 100;
    /** Scores closer than this are the same output's (float summation order). */
    static final double SAME_SCORE = 1e-4;

    /**
     * One beam size: average BLEU on d2l's tests and on the held-out pairs, the decoding time, and how the model scores
     * its outputs on the held-out pairs — mean log P, mean log P / L^0.75 (what beam search maximises) and on how many
     * sentences that score is above / below greedy's.
     */
    public record Row(int beam, double testBleu, double heldOutBleu, double msPerSentence, List<String> tests,
                      double meanLogP, double meanScore, int scoreAboveGreedy, int scoreBelowGreedy) {
    }

    public record Result(double loss, int heldOutPairs, List<Row> beams) implements RunResult {
    }

    @Override
    public String name() {
        return "exercise-beam";
    }

    @Override
    public String reportDir() {
        return "exercises/beam";
    }

    @Override
    public String title() {
        return "9.8 exercise: greedy vs beam search of width 2, 4, 8";
    }

    @Override
    public String question() {
        return "Does beam search translate better than greedy search, and how much does a wider beam (1 = greedy, 2, "
                + "4, 8) cost? On d2l's four test sentences and on 100 pairs the model never saw. (d2l 9.8, exercises)";
    }

    @Override
    public Result run(RunContext ctx) {
        TranslationSettings.Builder b = TranslationSettings.builder().optSeed(ctx.seed()).optEpochs(ctx.epochsOr(300))
                .optSave(ctx.modelsDir().resolve(name() + ".zip"));
        if (ctx.quick()) {
            b.optNumExamples(127);
        }
        TranslationJob.Trained t = TranslationJob.train(b.build(), ctx.hub(), ctx.out());
        Translator translator = new Translator(t.net(), t.data().source(), t.data().target(), t.data().steps(),
                ContextMode.ENCODER);
        HeldOutPairs tests = HeldOutPairs.d2lTests();
        HeldOutPairs unseen = HeldOutPairs.after(ctx.hub(), t.data().pairs().size(), ctx.quick() ? 5 : HELD_OUT,
                t.data().steps());
        List<Row> rows = new ArrayList<>();
        List<Translator.Result> greedy = null;
        for (int beam : BEAMS) {
            long t0 = System.nanoTime();
            List<Translator.Result> out = unseen.translate(translator, beam);
            double ms = (System.nanoTime() - t0) / 1e6 / unseen.size();
            greedy = beam == 1 ? out : greedy;
            int above = 0;
            int below = 0;
            for (int i = 0; i < out.size(); i++) {
                // beam search sums log-probabilities in another order than greedy: equal outputs differ by ~1e-7
                double d = out.get(i).score() - greedy.get(i).score();
                above += d > SAME_SCORE ? 1 : 0;
                below += d < -SAME_SCORE ? 1 : 0;
            }
            List<String> outputs = tests.sources().stream().map(s -> translator.translate(s, beam).text()).toList();
            rows.add(new Row(beam, tests.averageBleu(translator, beam), unseen.averageBleu(out), ms, outputs,
                    out.stream().mapToDouble(Translator.Result::logProbability).average().orElse(Double.NaN),
                    out.stream().mapToDouble(Translator.Result::score).average().orElse(Double.NaN), above, below));
            Row row = rows.get(rows.size() - 1);
            ctx.out().printf("beam %d: BLEU %.3f on d2l's tests, %.3f on %d unseen pairs, mean log P %.3f, "
                    + "mean score %.3f, %.1f ms/sentence%n", beam, row.testBleu(), row.heldOutBleu(), unseen.size(),
                    row.meanLogP(), row.meanScore(), ms);
        }
        Result r = new Result(t.result().loss(), unseen.size(), rows);
        Report report = report(ctx, "d2l 9.7's encoder–decoder trained with its settings (600 pairs, " + "300 epochs; "
                + String.format("final loss %.4f", r.loss()) + "), then decoded with beam sizes "
                + java.util.Arrays.toString(BEAMS) + " (score log P / L^0.75). BLEU (k = 2) averaged over d2l's four "
                + "test sentences and over the first " + unseen.size() + " fra-eng pairs after the training pairs whose "
                + "English fits num_steps (their words outside the 600-pair vocabulary read as `<unk>`).", answer(r));
        report.settings(java.util.Map.of("model", "d2l 9.7: GRU encoder-decoder, embedding 32, hidden 32, 2 layers, "
                + "dropout 0.1", "training", "600 pairs, num_steps 10, batch 64, Adam lr 0.005, θ = 1, 300 epochs, seed "
                + ctx.seed(), "decoding", "beam sizes " + java.util.Arrays.toString(BEAMS) + ", score log P / L^0.75, "
                + "at most num_steps tokens, one sentence at a time"));
        List<List<?>> table = new ArrayList<>();
        for (Row row : rows) {
            table.add(List.of(row.beam() == 1 ? "1 (greedy)" : row.beam(), String.format("%.3f", row.testBleu()),
                    String.format("%.3f", row.heldOutBleu()), String.format("%.3f", row.meanLogP()),
                    String.format("%.3f", row.meanScore()), row.beam() == 1 ? "—"
                            : row.scoreAboveGreedy() + " / " + row.scoreBelowGreedy(),
                    String.format("%.1f", row.msPerSentence()), String.join(" / ", row.tests())));
        }
        report.table(List.of("beam", "BLEU, d2l's tests", "BLEU, unseen pairs", "mean log P, unseen",
                "mean log P / L^0.75, unseen", "score above / below greedy's (sentences)", "ms per sentence",
                "go . / i lost . / he's calm . / i'm home ."), table);
        double[] beams = java.util.Arrays.stream(BEAMS).asDoubleStream().toArray();
        report.figure("bleu", Charts.lines("BLEU against beam size", "beam size", "average BLEU (k = 2)", List.of(
                new Series("d2l's 4 test sentences", beams, rows.stream().mapToDouble(Row::testBleu).toArray()),
                new Series(unseen.size() + " unseen pairs", beams, rows.stream().mapToDouble(Row::heldOutBleu).toArray()))),
                "Average BLEU against beam size");
        report.metrics(r.metrics()).write();
        Exercises.writeIndex(ctx.reportRoot());
        return r;
    }

    static String answer(Result r) {
        Row greedy = r.beams().get(0);
        Row best = r.beams().stream().max(java.util.Comparator.comparingDouble(Row::heldOutBleu)).orElseThrow();
        Row widest = r.beams().get(r.beams().size() - 1);
        String search = r.beams().stream().skip(1).map(x -> String.format("beam %d: mean score %.3f (greedy %.3f), "
                + "above greedy's on %d and below on %d of %d sentences", x.beam(), x.meanScore(), greedy.meanScore(),
                x.scoreAboveGreedy(), x.scoreBelowGreedy(), r.heldOutPairs())).collect(java.util.stream.Collectors.joining("; "));
        boolean beamsScoreHigher = r.beams().stream().skip(1).allMatch(x -> x.meanScore() > greedy.meanScore() + SAME_SCORE);
        boolean neverHigher = r.beams().stream().skip(1).allMatch(x -> x.scoreAboveGreedy() == 0);
        double widestChange = widest.heldOutBleu() - greedy.heldOutBleu();
        return String.format("On d2l's four sentences greedy search scores %.3f and beams give %s. On %d pairs the "
                + "model never saw, greedy scores %.3f and the best beam (%d) %.3f; %s Beam search maximises "
                + "log P / L^0.75 — %s: %s. Decoding cost grows with the beam: %.1f ms per sentence greedy, %.1f ms with "
                + "beam %d.",
                greedy.testBleu(), r.beams().stream().skip(1).map(x -> String.format("%.3f", x.testBleu())).toList(),
                r.heldOutPairs(), greedy.heldOutBleu(), best.beam(), best.heldOutBleu(),
                best.beam() == greedy.beam() || best.heldOutBleu() <= greedy.heldOutBleu() + 0.005
                        ? String.format("no beam beats greedy, and the widest (%d) is %s (%+.3f).", widest.beam(),
                        widestChange < -0.005 ? "worse" : "no better", widestChange)
                        : String.format("the best beam gains %+.3f over greedy, the widest (%d) %+.3f.",
                        best.heldOutBleu() - greedy.heldOutBleu(), widest.beam(), widestChange),
                neverHigher ? "no beam found an output the model scores higher than greedy's on any sentence: on these "
                        + "short sentences greedy's output is already the best the beams reach"
                        : beamsScoreHigher ? "every beam finds outputs the model scores higher on average than greedy's, so "
                        + "where BLEU does not follow, the model's own scores disagree with the references"
                        : "not every beam finds outputs the model scores higher on average than greedy's",
                search, greedy.msPerSentence(), widest.msPerSentence(), widest.beam());
    }
}
