package org.d2l.rnn.experiments.exercises;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmResult;

/** d2l 8.3/8.5 exercise: the number of time steps per minibatch — 10, 35 (d2l's) and 70. */
public final class ExerciseNumSteps extends LmExercise {
    private static final int[] STEPS = {10, 35, 70};

    @Override
    protected String topic() {
        return "num-steps";
    }

    @Override
    public String title() {
        return "8.5 exercise: 10, 35 or 70 time steps per minibatch";
    }

    @Override
    public String question() {
        return "How does the number of time steps T (the truncation length of backpropagation) change training? "
                + "(d2l 8.3 and 8.5, exercises)";
    }

    @Override
    protected String setup() {
        return "The RNN with T = 10, 35 and 70; every epoch still covers the same 10,000 characters, so shorter "
                + "minibatches mean more updates per epoch and a shorter gradient horizon.";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return java.util.Arrays.stream(STEPS).mapToObj(t -> new Variant("T = " + t, base(seed).optSteps(t).build()))
                .toList();
    }

    @Override
    protected String answer(Map<String, LmResult> runs) {
        StringBuilder a = new StringBuilder("Final perplexity and time per epoch: ");
        for (int t : STEPS) {
            LmResult r = runs.get("T = " + t);
            a.append(String.format("T = %d → %s, %.2f s/epoch; ", t, ppl(r), secondsPerEpoch(r)));
        }
        LmResult t10 = runs.get("T = 10");
        LmResult t70 = runs.get("T = 70");
        a.append(t10.diverged() == null && t70.diverged() == null && t10.perplexity() < t70.perplexity()
                ? "more, shorter minibatches win within a fixed number of epochs here (more updates), although a "
                + "10-step window cannot carry a gradient further back than 10 characters; "
                : "the longer window wins despite fewer updates: gradients reach further back; ");
        a.append("the state still flows across minibatches (sequential partitioning), so the forward pass sees the "
                + "whole past either way — T only limits how far back the gradient goes.");
        return a.toString();
    }
}
