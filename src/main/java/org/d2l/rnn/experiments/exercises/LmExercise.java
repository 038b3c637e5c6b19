package org.d2l.rnn.experiments.exercises;

import java.util.Arrays;
import java.util.Map;
import org.d2l.rnn.experiments.LanguageModelSection;
import org.d2l.rnn.jobs.LmResult;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.report.LmReport;

/**
 * A chapter exercise answered by training language models side by side; its report goes to
 * {@code notebooks-export/exercises/<topic>/} and states the question, what was run, the numbers and the answer.
 * Subclasses name the question, the runs and how the numbers answer it.
 */
public abstract class LmExercise extends LanguageModelSection implements Exercise {
    /** Epochs of every run: enough for the curves to separate, few enough for minutes per exercise. */
    static final int EPOCHS = 100;

    /**
     * d2l 8.5's RNN language model in its concise form (DL4J SimpleRnn with our kernel) so that each exercise runs
     * in minutes: hidden 256, one-hot input, SGD lr 1, θ = 1, batch 32 × 35 steps, sequential partitioning,
     * the first 10,000 characters of The Time Machine.
     */
    static LmSettings.Builder base(long seed) {
        return LmSettings.builder().optModel(ModelKind.RNN).optHidden(256).optLr(1).optClip(1).optEpochs(EPOCHS)
                .optPredictEvery(EPOCHS).optSeed(seed);
    }

    /** The part after {@code exercise-} in the command, and the report's folder. */
    protected abstract String topic();

    /** The exercise, as the book asks it (with its section). */
    @Override
    public abstract String question();

    /** What was run, beyond the settings table. */
    protected abstract String setup();

    @Override
    public final String name() {
        return "exercise-" + topic();
    }

    @Override
    public final String reportDir() {
        return "exercises/" + topic();
    }

    @Override
    protected final Map<String, LmReport.Reference> references() {
        return Map.of();
    }

    @Override
    protected final String summary() {
        return "**Question.** " + question() + "\n\n**What was run.** " + setup();
    }

    @Override
    public Result run(org.d2l.rnn.experiments.RunContext ctx) {
        Result r = super.run(ctx);
        Exercises.writeIndex(ctx.reportRoot());
        return r;
    }

    @Override
    public Result rerender(org.d2l.rnn.experiments.RunContext ctx) {
        Result r = super.rerender(ctx);
        Exercises.writeIndex(ctx.reportRoot());
        return r;
    }

    /** Runs that blow up answer an exercise about stability: they are reported, not fatal. */
    @Override
    protected boolean divergenceIsAnAnswer() {
        return true;
    }

    /** A setting's value in a run label: 1 rather than 1.0, 0.01 as it is. */
    static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    static String ppl(LmResult r) {
        return r.diverged() != null ? "diverged in epoch " + (r.perplexityByEpoch().length + 1)
                : String.format("%.2f", r.perplexity());
    }

    /** The largest rise of perplexity from one epoch to the next, as a factor (1 = it never rose). */
    static double worstRise(LmResult r) {
        double[] p = r.perplexityByEpoch();
        double worst = 1;
        for (int i = 1; i < p.length; i++) {
            worst = Math.max(worst, p[i] / p[i - 1]);
        }
        return worst;
    }

    /** The first epoch at which perplexity fell below {@code target}, or -1. */
    static int epochReaching(LmResult r, double target) {
        double[] p = r.perplexityByEpoch();
        for (int i = 0; i < p.length; i++) {
            if (p[i] < target) {
                return i + 1;
            }
        }
        return -1;
    }

    /** Mean seconds per epoch of a run. */
    static double secondsPerEpoch(LmResult r) {
        return r.seconds() / Math.max(1, r.perplexityByEpoch().length);
    }

    static double best(LmResult r) {
        return Arrays.stream(r.perplexityByEpoch()).min().orElse(Double.NaN);
    }
}
