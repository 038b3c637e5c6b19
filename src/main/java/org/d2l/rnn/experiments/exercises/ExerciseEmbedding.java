package org.d2l.rnn.experiments.exercises;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmResult;

/** d2l 8.6 exercise: a learned embedding instead of one-hot input. */
public final class ExerciseEmbedding extends LmExercise {
    @Override
    protected String topic() {
        return "embedding";
    }

    @Override
    public String title() {
        return "8.6 exercise: a learnable embedding instead of one-hot input";
    }

    @Override
    public String question() {
        return "Can you make the RNN better by using a learnable embedding of the characters instead of one-hot "
                + "vectors? (d2l 8.6, exercises)";
    }

    @Override
    protected String setup() {
        return "The RNN with one-hot input (28 inputs) and with a learned 32-dimensional embedding (DL4J "
                + "`EmbeddingSequenceLayer` before the recurrent layer), same seed and settings.";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return List.of(new Variant("one-hot", base(seed).build()),
                new Variant("embedding 32", base(seed).optEmbedding(32).build()));
    }

    @Override
    protected String answer(Map<String, LmResult> runs) {
        LmResult hot = runs.get("one-hot");
        LmResult emb = runs.get("embedding 32");
        boolean ok = hot.diverged() == null && emb.diverged() == null;
        boolean muchBetter = ok && emb.perplexity() < 0.8 * hot.perplexity();
        boolean better = ok && emb.perplexity() < hot.perplexity();
        return String.format("One-hot input ends at perplexity %s, the embedding at %s (%,d against %,d parameters). %s",
                ppl(hot), ppl(emb), hot.params(), emb.params(), muchBetter
                        ? "The embedding helps a lot within 100 epochs. Not through capacity: one-hot times W_xh is "
                        + "already a learned 28 × 256 input map, and embedding then W_xh is a product of rank 32 at most. "
                        + "It changes the optimisation: two stacked linear maps trained by SGD at lr 1 move the "
                        + "effective input map faster, and similar characters share embedding directions."
                        : better ? "The embedding helps a little: similar characters share input directions."
                        : "It does not help here: with 28 characters a one-hot input times W_xh already is a learned "
                        + "embedding of size 256 — an extra 32-wide embedding only adds a bottleneck and another "
                        + "layer to train.");
    }
}
