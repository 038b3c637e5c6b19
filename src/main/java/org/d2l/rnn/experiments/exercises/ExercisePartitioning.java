package org.d2l.rnn.experiments.exercises;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.datavec.Partitioning;
import org.d2l.rnn.jobs.LmResult;

/** d2l 8.3/8.5 exercises: sequential against random partitioning, and random offsets against none. */
public final class ExercisePartitioning extends LmExercise {
    @Override
    protected String topic() {
        return "partitioning";
    }

    @Override
    public String title() {
        return "8.3/8.5 exercise: sequential vs random partitioning, random offsets vs none";
    }

    @Override
    public String question() {
        return "How do perplexity curves differ between sequential partitioning (state carried across minibatches) "
                + "and random sampling (a fresh state every minibatch), and what do d2l's random offsets at the "
                + "start of every epoch buy? (d2l 8.3 and 8.5, exercises)";
    }

    @Override
    protected String setup() {
        return "The RNN three times: sequential with a random offset per epoch (d2l's), sequential always starting "
                + "at character 0, and random partitioning (with its offset).";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return List.of(new Variant("sequential, random offset", base(seed).build()),
                new Variant("sequential, no offset", base(seed).optRandomOffset(false).build()),
                new Variant("random", base(seed).optSampling(Partitioning.RANDOM).build()));
    }

    @Override
    protected String answer(Map<String, LmResult> runs) {
        LmResult seq = runs.get("sequential, random offset");
        LmResult fixed = runs.get("sequential, no offset");
        LmResult rnd = runs.get("random");
        return String.format("Sequential partitioning ends at perplexity %s, random at %s: %s Without the random "
                + "offset the sequential run ends at %s (with it: %s) — %s", ppl(seq), ppl(rnd),
                seq.diverged() == null && rnd.diverged() == null && seq.perplexity() < rnd.perplexity()
                        ? "carrying the state lets every prediction condition on more than 35 characters, and the "
                        + "random run pays for starting each minibatch from zeros."
                        : "here the fresh-state minibatches did not cost perplexity.",
                ppl(fixed), ppl(seq),
                fixed.diverged() == null && seq.diverged() == null && fixed.perplexity() < seq.perplexity()
                        ? "without an offset the model sees the very same 35-character windows every epoch and fits "
                        + "them a little better (the training perplexity is lower), at the price of never "
                        + "backpropagating across the same fixed window boundaries (the carried state crosses them, the "
                        + "gradient does not)."
                        : "shifting the windows every epoch exposes the model to every boundary, and costs nothing in "
                        + "training perplexity here.");
    }
}
