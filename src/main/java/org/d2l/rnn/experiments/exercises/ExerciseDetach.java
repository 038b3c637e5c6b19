package org.d2l.rnn.experiments.exercises;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmResult;

/** d2l 8.5 exercise: sequential partitioning without detaching the hidden state from the computational graph. */
public final class ExerciseDetach extends LmExercise {
    private static final String DETACHED = "detached (d2l)";
    private static final String ATTACHED = "not detached";

    @Override
    protected String topic() {
        return "detach";
    }

    @Override
    public String title() {
        return "8.5 exercise: sequential partitioning without detaching the state";
    }

    @Override
    public String question() {
        return "With sequential partitioning, what happens if the hidden state is not detached from the computational "
                + "graph between minibatches? Does the running time change? How about the perplexity? (d2l 8.5, "
                + "exercises)";
    }

    @Override
    protected String setup() {
        return "The RNN with sequential partitioning, detached as d2l does, and not detached: then minibatch k "
                + "backpropagates through the whole epoch so far — windows 0..k joined along time, from a fresh state, "
                + "the loss on window k (`train-lm --no-detach`). PyTorch would keep the old graph (and refuse a second "
                + "backward through it unless told to retain it); here the earlier windows are recomputed with the "
                + "current parameters, which is what an attached state means mathematically.";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return List.of(new Variant(DETACHED, base(seed).build()),
                new Variant(ATTACHED, base(seed).optDetach(false).build()));
    }

    @Override
    protected String answer(Map<String, LmResult> runs) {
        LmResult d = runs.get(DETACHED);
        LmResult a = runs.get(ATTACHED);
        double slower = secondsPerEpoch(a) / secondsPerEpoch(d);
        return String.format("Detached: perplexity %s, %.2f s per epoch. Not detached: perplexity %s, %.2f s per epoch "
                + "(%.1f× slower). The running time grows with the square of the minibatches per epoch — minibatch k "
                + "pays for k + 1 windows. The graph grows with every minibatch of an epoch and starts again at the next "
                + "epoch (the state is detached there), so its size and memory peak at the last minibatch of each "
                + "epoch rather than growing through the whole corpus. "
                + "%s", ppl(d), secondsPerEpoch(d), ppl(a), secondsPerEpoch(a), slower,
                a.diverged() == null && d.diverged() == null && a.perplexity() < d.perplexity()
                        ? "The longer gradient path helps the perplexity a little here, at several times the cost."
                        : "The longer gradient path does not buy a better perplexity: gradients through hundreds of steps "
                        + "mostly vanish or get clipped, so truncation loses little and saves most of the work.");
    }
}
