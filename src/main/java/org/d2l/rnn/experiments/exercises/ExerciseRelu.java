package org.d2l.rnn.experiments.exercises;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmResult;
import org.d2l.rnn.report.LmReport;

/** d2l 8.5 exercise: ReLU instead of tanh, with and without gradient clipping. */
public final class ExerciseRelu extends LmExercise {
    @Override
    protected String topic() {
        return "relu";
    }

    @Override
    public String title() {
        return "8.5 exercise: ReLU instead of tanh, with and without clipping";
    }

    @Override
    public String question() {
        return "Replace the hidden activation tanh by ReLU. Do the results change, and is gradient clipping still "
                + "needed? (d2l 8.5, exercises)";
    }

    @Override
    protected String setup() {
        return "The RNN with tanh (d2l's) and with ReLU, each with clipping θ = 1; ReLU once more unclipped.";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return List.of(new Variant("tanh, θ = 1", base(seed).build()),
                new Variant("relu, θ = 1", base(seed).optActivation("relu").build()),
                new Variant("relu, no clipping", base(seed).optActivation("relu").optClip(0).build()));
    }

    @Override
    protected String answer(Map<String, LmResult> runs) {
        LmResult tanh = runs.get("tanh, θ = 1");
        LmResult relu = runs.get("relu, θ = 1");
        LmResult bare = runs.get("relu, no clipping");
        String result = String.format("tanh ends at perplexity %s, ReLU with clipping at %s. Unclipped, ReLU %s.",
                ppl(tanh), ppl(relu), bare.diverged() != null ? "blew up (" + bare.diverged().replaceAll(";.*", "") + ")"
                        : String.format("ended at %s with epoch-to-epoch rises up to ×%.2f", ppl(bare), worstRise(bare)));
        double tanhMax = LmReport.maxNorm(tanh);
        double reluMax = LmReport.maxNorm(relu);
        double bareMax = LmReport.maxNorm(bare);
        if (Double.isNaN(tanhMax) || Double.isNaN(reluMax)) {
            return result + " This run did not record gradient norms, so whether ReLU's gradients explode more readily "
                    + "is not answered here; run the exercise again.";
        }
        String norms = String.format(" The largest global gradient norm before clipping was %.2f with tanh, %.2f with "
                + "ReLU clipped at θ = 1%s; the mean norms and the share of clipped minibatches are in the table "
                + "below.", tanhMax, reluMax, Double.isNaN(bareMax) ? "" : String.format(" and %.2f with ReLU unclipped",
                bareMax));
        boolean reluLarger = reluMax > tanhMax;
        return result + norms + (reluLarger
                ? String.format(" ReLU's gradients grew %.1f× as large as tanh's: it does not saturate, so nothing "
                + "bounds the hidden state or the product of Jacobians over 35 steps.", reluMax / tanhMax)
                : " ReLU's gradients were not larger than tanh's in this run: here ReLU did not explode more readily.")
                + (bare.diverged() == null && relu.diverged() == null && bare.perplexity() < tanh.perplexity()
                ? " Unclipped ReLU still ended below clipped tanh: large gradients did not stop it learning here."
                : "");
    }
}
