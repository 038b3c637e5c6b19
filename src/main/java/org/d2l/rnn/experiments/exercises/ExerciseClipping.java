package org.d2l.rnn.experiments.exercises;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmResult;
import org.d2l.rnn.report.LmReport;

/** d2l 8.5 exercises: train without gradient clipping; vary the threshold θ. */
public final class ExerciseClipping extends LmExercise {
    private static final double[] THETAS = {0.01, 0.1, 1, 10};

    @Override
    protected String topic() {
        return "clipping";
    }

    @Override
    public String title() {
        return "8.5 exercise: gradient clipping — none, and θ from 0.01 to 10";
    }

    @Override
    public String question() {
        return "What happens to training without gradient clipping, and how does the clipping threshold θ "
                + "(0.01, 0.1, 1, 10) change the perplexity curve? (d2l 8.5, exercises)";
    }

    @Override
    protected String setup() {
        return "The same RNN trained five times from the same seed, once unclipped and once per θ; everything else "
                + "is d2l's (SGD lr 1, one global L2 norm over all parameters).";
    }

    @Override
    protected List<Variant> variants(long seed) {
        List<Variant> v = new java.util.ArrayList<>();
        v.add(new Variant("no clipping", base(seed).optClip(0).build()));
        for (double theta : THETAS) {
            v.add(new Variant(label(theta), base(seed).optClip(theta).build()));
        }
        return v;
    }

    private static String label(double theta) {
        return "θ = " + number(theta);
    }

    @Override
    protected String answer(Map<String, LmResult> runs) {
        LmResult none = runs.get("no clipping");
        LmResult d2l = runs.get(label(1));
        StringBuilder a = new StringBuilder();
        if (none.diverged() != null) {
            a.append("Without clipping the run blew up: ").append(none.diverged().replaceAll(";.*", "")).append(". ");
        } else {
            a.append(String.format("Without clipping the run ended at perplexity %s (d2l's θ = 1: %s); its "
                    + "perplexity rose by up to ×%.2f from one epoch to the next, against ×%.2f with θ = 1. ",
                    ppl(none), ppl(d2l), worstRise(none), worstRise(d2l)));
        }
        a.append("Over θ: ");
        for (double theta : THETAS) {
            LmResult r = runs.get(label(theta));
            a.append(String.format("%s → %s (worst rise ×%.2f); ", label(theta), ppl(r), worstRise(r)));
        }
        LmResult smallest = runs.get(label(THETAS[0]));
        boolean tinyIsSlow = smallest.diverged() == null && d2l.diverged() == null && smallest.perplexity() > d2l.perplexity();
        a.append(tinyIsSlow ? "a tiny θ clips every step to a fixed small length, so SGD crawls"
                : "the smallest θ did not slow training here");
        double largestNorm = LmReport.maxNorm(none);
        double largestTheta = THETAS[THETAS.length - 1];
        if (!Double.isNaN(largestNorm)) {
            a.append(String.format(" (the unclipped run's largest gradient norm was %.2f%s)", largestNorm,
                    largestNorm <= largestTheta ? String.format(", below θ = %s, so θ = %s never clipped: its curve "
                            + "is the unclipped one and lies exactly under it in the plot", number(largestTheta),
                            number(largestTheta)) : ""));
        }
        a.append(", while a large θ clips only the rare exploding gradient and behaves like no clipping. Clipping "
                + "bounds the occasional huge gradient of a long unrolled RNN; the threshold trades that safety "
                + "against step size.");
        return a.toString();
    }
}
