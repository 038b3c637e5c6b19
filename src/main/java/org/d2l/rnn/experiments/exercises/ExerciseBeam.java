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

    /** One beam size: average BLEU on d2l's tests and on the held-out pairs, and the decoding time. */
    public record Row(int beam, double testBleu, double heldOutBleu, double msPerSentence, List<String> tests) {
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
        for (int beam : BEAMS) {
            long t0 = System.nanoTime();
            double heldOut = unseen.averageBleu(translator, beam);
            double ms = (System.nanoTime() - t0) / 1e6 / unseen.size();
            List<String> outputs = tests.sources().stream().map(s -> translator.translate(s, beam).text()).toList();
            rows.add(new Row(beam, tests.averageBleu(translator, beam), heldOut, ms, outputs));
            ctx.out().printf("beam %d: BLEU %.3f on d2l's tests, %.3f on %d unseen pairs, %.1f ms/sentence%n", beam,
                    rows.get(rows.size() - 1).testBleu(), heldOut, unseen.size(), ms);
        }
        Result r = new Result(t.result().loss(), unseen.size(), rows);
        Report report = report(ctx, "d2l 9.7's encoder–decoder trained with its settings (600 pairs, " + "300 epochs; "
                + String.format("final loss %.4f", r.loss()) + "), then decoded with beam sizes "
                + java.util.Arrays.toString(BEAMS) + " (score log P / L^0.75). BLEU (k = 2) averaged over d2l's four "
                + "test sentences and over the first " + unseen.size() + " fra-eng pairs after the training pairs whose "
                + "English fits num_steps (their words outside the 600-pair vocabulary read as `<unk>`).", answer(r));
        List<List<?>> table = new ArrayList<>();
        for (Row row : rows) {
            table.add(List.of(row.beam() == 1 ? "1 (greedy)" : row.beam(), String.format("%.3f", row.testBleu()),
                    String.format("%.3f", row.heldOutBleu()), String.format("%.1f", row.msPerSentence()),
                    String.join(" / ", row.tests())));
        }
        report.table(List.of("beam", "BLEU, d2l's tests", "BLEU, unseen pairs", "ms per sentence",
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
        return String.format("On d2l's four sentences greedy search already scores %.3f and beams give %s. On %d pairs "
                + "the model never saw, greedy scores %.3f and the best beam (%d) %.3f; %s Decoding cost grows with the "
                + "beam: %.1f ms per sentence greedy, %.1f ms with beam %d. Beam search finds sequences the model "
                + "scores higher; it cannot fix what the model never learned — on unseen sentences most of the gap "
                + "is missing vocabulary and data, not search.",
                greedy.testBleu(), r.beams().stream().skip(1).map(x -> String.format("%.3f", x.testBleu())).toList(),
                r.heldOutPairs(), greedy.heldOutBleu(), best.beam(), best.heldOutBleu(),
                best.heldOutBleu() > greedy.heldOutBleu() + 0.005
                        ? "a wider beam helps a little, by finding likelier complete translations."
                        : "a wider beam does not help on average.",
                greedy.msPerSentence(), widest.msPerSentence(), widest.beam());
    }
}
