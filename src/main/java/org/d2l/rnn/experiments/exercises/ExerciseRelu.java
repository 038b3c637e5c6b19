package org.d2l.rnn.experiments.exercises;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmResult;

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
        return String.format("tanh ends at perplexity %s, ReLU with clipping at %s. Unclipped, ReLU %s. %s",
                ppl(tanh), ppl(relu),
                bare.diverged() != null ? "blew up (" + bare.diverged().replaceAll(";.*", "") + ")"
                        : String.format("ended at %s with epoch-to-epoch rises up to ×%.2f", ppl(bare), worstRise(bare)),
                bare.diverged() != null || relu.diverged() == null && (bare.perplexity() > relu.perplexity()
                        || worstRise(bare) > worstRise(relu))
                        ? "ReLU does not saturate, so nothing bounds the hidden state or the product of Jacobians over "
                        + "35 steps: its gradients explode more readily than tanh's, and clipping is what keeps it on "
                        + "track."
                        : "Here the unclipped ReLU run did as well as the clipped one: with this seed its gradients "
                        + "stayed small enough, which clipping does not guarantee on another.");
    }
}
