package org.d2l.rnn.experiments.exercises;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmResult;

/** d2l 8.5 exercise: the learning rate — 0.01, 1 (d2l's) and 10. */
public final class ExerciseLearningRate extends LmExercise {
    private static final double[] RATES = {0.01, 1, 10};

    @Override
    protected String topic() {
        return "learning-rate";
    }

    @Override
    public String title() {
        return "8.5 exercise: learning rates 0.01, 1 and 10";
    }

    @Override
    public String question() {
        return "How does the learning rate (0.01, 1, 10) change the perplexity curve of the RNN language model? "
                + "(d2l 8.5, exercises: adjust the hyperparameters)";
    }

    @Override
    protected String setup() {
        return "The same RNN from the same seed with SGD at three learning rates, d2l's clipping θ = 1 for all.";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return java.util.Arrays.stream(RATES).mapToObj(lr -> new Variant(label(lr), base(seed).optLr(lr).build()))
                .toList();
    }

    private static String label(double lr) {
        return "lr " + number(lr);
    }

    @Override
    protected String answer(Map<String, LmResult> runs) {
        LmResult slow = runs.get(label(0.01));
        LmResult d2l = runs.get(label(1));
        LmResult fast = runs.get(label(10));
        return String.format("lr 0.01 ends at perplexity %s, lr 1 (d2l's) at %s, lr 10 at %s (worst epoch-to-epoch "
                + "rise ×%.2f against ×%.2f for lr 1). %s %s", ppl(slow), ppl(d2l), ppl(fast), worstRise(fast),
                worstRise(d2l),
                slow.diverged() == null && d2l.diverged() == null && slow.perplexity() > d2l.perplexity()
                        ? "At 0.01 the clipped steps are a hundred times shorter and 100 epochs leave the model near "
                        + "unigram statistics."
                        : "0.01 kept up with lr 1 here.",
                fast.diverged() != null || fast.perplexity() > fast.vocabSize()
                        ? "At 10 the run blows up: clipping bounds each step at 10 × θ, still far too long — the model "
                        + "ends worse than guessing uniformly among the " + fast.vocabSize() + " characters."
                        : fast.perplexity() > d2l.perplexity()
                        ? "At 10 clipping keeps the steps bounded, but their length is 10 × θ: the run bounces and "
                        + "ends worse than lr 1."
                        : "At 10 clipping keeps every step at length 10 × θ at most, and the run still got ahead of lr 1 "
                        + "within 100 epochs.");
    }
}
