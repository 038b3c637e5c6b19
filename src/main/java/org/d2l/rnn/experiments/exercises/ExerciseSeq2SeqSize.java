package org.d2l.rnn.experiments.exercises;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.io.RunResult;
import org.d2l.rnn.experiments.RunContext;
import org.d2l.rnn.infer.Translator;
import org.d2l.rnn.jobs.TranslationJob;
import org.d2l.rnn.models.Networks;
import org.d2l.rnn.runtime.RunRelease;
import org.d2l.rnn.jobs.TranslationSettings;
import org.d2l.rnn.report.Charts;
import org.d2l.rnn.report.Charts.Series;
import org.d2l.rnn.report.Report;
import org.d2l.rnn.seq2seq.ContextMode;

/** d2l 9.7 exercise: how embedding size, hidden size and the number of layers change BLEU. */
public final class ExerciseSeq2SeqSize implements Exercise {
    static final int EPOCHS = 200;

    /** One model size and what it scored. */
    public record Row(String model, long params, double loss, double testBleu, double heldOutBleu, double seconds,
                      double[] lossByEpoch) {
    }

    public record Result(List<Row> models) implements RunResult {
    }

    @Override
    public String name() {
        return "exercise-seq2seq-size";
    }

    @Override
    public String reportDir() {
        return "exercises/seq2seq-size";
    }

    @Override
    public String title() {
        return "9.7 exercise: embedding size, hidden size and layers of the encoder–decoder";
    }

    @Override
    public String question() {
        return "Adjust the embedding size, the hidden size and the number of layers of d2l 9.7's encoder–decoder: "
                + "how do the training loss and BLEU change? (d2l 9.7, exercises)";
    }

    private static Map<String, TranslationSettings.Builder> models(long seed) {
        Map<String, TranslationSettings.Builder> m = new LinkedHashMap<>();
        m.put("d2l: embedding 32, hidden 32, 2 layers", TranslationSettings.builder());
        m.put("embedding 8", TranslationSettings.builder().optEmbedding(8));
        m.put("hidden 64", TranslationSettings.builder().optHidden(64));
        m.put("1 layer", TranslationSettings.builder().optLayers(1));
        m.values().forEach(b -> b.optSeed(seed).optEpochs(EPOCHS));
        return m;
    }

    @Override
    public Result run(RunContext ctx) {
        HeldOutPairs tests = HeldOutPairs.d2lTests();
        List<Row> rows = new ArrayList<>();
        for (var e : models(ctx.seed()).entrySet()) {
            TranslationSettings.Builder b = e.getValue().optEpochs(ctx.epochsOr(EPOCHS))
                    .optSave(ctx.modelsDir().resolve(name() + "-" + rows.size() + ".zip"));
            if (ctx.quick()) {
                b.optNumExamples(127);
            }
            ctx.out().println("== " + e.getKey());
            TranslationJob.Trained t = TranslationJob.train(b.build(), ctx.hub(), ctx.out());
            try {
                Translator translator = new Translator(t.net(), t.data().source(), t.data().target(), t.data().steps(),
                        ContextMode.ENCODER);
                HeldOutPairs unseen = HeldOutPairs.after(ctx.hub(), t.data().pairs().size(), ctx.quick() ? 5 : 100,
                        t.data().steps());
                rows.add(new Row(e.getKey(), t.result().params(), t.result().loss(), tests.averageBleu(translator, 1),
                        unseen.averageBleu(translator, 1), t.result().seconds(), t.result().lossByEpoch()));
            } finally {
                // the next size trains in this JVM: this one's network, garbage and grown heap go back first
                Networks.release(t.net());
                RunRelease.giveBack();
            }
        }
        Result r = new Result(rows);
        Report report = report(ctx, "d2l 9.7's training (600 pairs, batch 64, num_steps 10, dropout 0.1, Adam 0.005, "
                + "θ = 1) for " + rows.get(0).lossByEpoch().length + " epochs per model, changing one size at a time "
                + "from d2l's. BLEU (k = 2, greedy) averaged over d2l's four test sentences and over 100 fra-eng pairs "
                + "after the training pairs.", answer(r));
        report.table(List.of("model", "parameters", "final loss", "BLEU, d2l's tests", "BLEU, unseen pairs",
                "training time (s)"), rows.stream().map(x -> List.<Object>of(x.model(), x.params(),
                String.format("%.4f", x.loss()), String.format("%.3f", x.testBleu()),
                String.format("%.3f", x.heldOutBleu()), String.format("%.0f", x.seconds()))).toList());
        report.figure("loss", Charts.lines("Training loss", "epoch", "loss", rows.stream()
                .map(x -> Series.of(x.model(), x.lossByEpoch())).toList()), "Training loss by epoch");
        report.metrics(r.metrics()).write();
        Exercises.writeIndex(ctx.reportRoot());
        return r;
    }

    static String answer(Result r) {
        Row d2l = r.models().get(0);
        StringBuilder a = new StringBuilder(String.format("d2l's model (%,d parameters) ends at loss %.4f with BLEU "
                + "%.3f on its four test sentences and %.3f on unseen pairs. ", d2l.params(), d2l.loss(), d2l.testBleu(),
                d2l.heldOutBleu()));
        for (Row x : r.models().subList(1, r.models().size())) {
            a.append(String.format("%s (%,d parameters): loss %.4f, BLEU %.3f / %.3f. ", x.model(), x.params(), x.loss(),
                    x.testBleu(), x.heldOutBleu()));
        }
        Row lowest = r.models().stream().min(java.util.Comparator.comparingDouble(Row::loss)).orElseThrow();
        Row bestHeldOut = r.models().stream().max(java.util.Comparator.comparingDouble(Row::heldOutBleu)).orElseThrow();
        double worstHeldOut = r.models().stream().mapToDouble(Row::heldOutBleu).min().orElseThrow();
        a.append(String.format("The lowest training loss is %s's (%.4f, %,d parameters). On unseen pairs BLEU ranges "
                + "%.3f–%.3f (best: %s): on 600 short pairs a lower training loss %s.", lowest.model(), lowest.loss(),
                lowest.params(), worstHeldOut, bestHeldOut.heldOutBleu(), bestHeldOut.model(),
                lowest == bestHeldOut ? "came with the best held-out BLEU too"
                        : "did not give the best held-out BLEU: fitting the training pairs better is not translating "
                        + "new ones better"));
        return a.toString();
    }
}
