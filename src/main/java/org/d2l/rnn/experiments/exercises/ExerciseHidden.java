package org.d2l.rnn.experiments.exercises;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmResult;

/** d2l 8.5 exercise: hidden size 256 against 1024. */
public final class ExerciseHidden extends LmExercise {
    @Override
    protected String topic() {
        return "hidden";
    }

    @Override
    public String title() {
        return "8.5 exercise: 256 or 1024 hidden units";
    }

    @Override
    public String question() {
        return "What happens with a much larger hidden state — 1024 units instead of 256? (d2l 8.5, exercises: "
                + "adjust the hyperparameters)";
    }

    @Override
    protected String setup() {
        return "The RNN with 256 and with 1024 hidden units, same seed and settings.";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return List.of(new Variant("hidden 256", base(seed).build()),
                new Variant("hidden 1024", base(seed).optHidden(1024).build()));
    }

    @Override
    protected String answer(Map<String, LmResult> runs) {
        LmResult small = runs.get("hidden 256");
        LmResult big = runs.get("hidden 1024");
        boolean bigWins = small.diverged() == null && big.diverged() == null && big.perplexity() < small.perplexity();
        return String.format("Hidden 256 ends at perplexity %s (%,d parameters, %.2f s/epoch), hidden 1024 at %s "
                + "(%,d parameters, %.2f s/epoch). %s", ppl(small), small.params(), secondsPerEpoch(small), ppl(big),
                big.params(), secondsPerEpoch(big), bigWins
                        ? "The larger state fits the 10,000 training characters faster — a lower training perplexity "
                        + "that, on so small a corpus, is mostly memorisation — at many times the cost per epoch."
                        : "The larger state did not fit faster at the same learning rate, and costs many times more "
                        + "per epoch.");
    }
}
