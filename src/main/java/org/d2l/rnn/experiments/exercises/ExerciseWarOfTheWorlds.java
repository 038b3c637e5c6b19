package org.d2l.rnn.experiments.exercises;

import java.util.List;
import java.util.Map;
import org.d2l.rnn.jobs.LmResult;

/** d2l 8.2/8.5 exercise: the same model on another book, H. G. Wells's The War of the Worlds. */
public final class ExerciseWarOfTheWorlds extends LmExercise {
    private static final String TM = "The Time Machine";
    private static final String WOTW = "The War of the Worlds";

    @Override
    protected String topic() {
        return "war-of-the-worlds";
    }

    @Override
    public String title() {
        return "8.2/8.5 exercise: the same model on The War of the Worlds";
    }

    @Override
    public String question() {
        return "Train the same character-level model on another book from the data hub, H. G. Wells's The War of the "
                + "Worlds. How do perplexity and the generated text differ from The Time Machine? (d2l 8.2 and 8.5, "
                + "exercises)";
    }

    @Override
    protected String setup() {
        return "The RNN on the first 10,000 characters of each book (the War of the Worlds text is fetched like "
                + "d2l's corpora: URL + sha1, cached under datasets/), d2l's preprocessing (letters and spaces, "
                + "lower case), greedy generation from \"the \" and from a phrase of each book.";
    }

    @Override
    protected List<Variant> variants(long seed) {
        return List.of(new Variant(TM, base(seed).optPrefixes(List.of("the ", "time traveller")).build()),
                new Variant(WOTW, base(seed).optDataset("war-of-the-worlds")
                        .optPrefixes(List.of("the ", "the martians")).build()));
    }

    @Override
    protected String answer(Map<String, LmResult> runs) {
        LmResult tm = runs.get(TM);
        LmResult wotw = runs.get(WOTW);
        return String.format("The same model reaches perplexity %s on The Time Machine and %s on The War of the Worlds "
                + "after %d epochs (%+.0f%%) — %s. Each continues \"the \" in its own book's voice: \"%s\" against \"%s\"; the "
                + "model learns the spelling and the frequent words and phrases of whatever 10,000 characters it sees, "
                + "nothing beyond them.", ppl(tm), ppl(wotw), tm.perplexityByEpoch().length,
                100 * (wotw.perplexity() / tm.perplexity() - 1),
                tm.diverged() == null && wotw.diverged() == null && Math.abs(tm.perplexity() - wotw.perplexity())
                        < 0.05 * tm.perplexity() ? "about the same: both are Wells's English with a 28-character alphabet"
                        : "not the same: with the same alphabet and settings the model finds the first 10,000 "
                        + "characters of The War of the Worlds " + (wotw.perplexity() > tm.perplexity() ? "harder"
                        : "easier") + " to predict than those of The Time Machine", tm.generations().getOrDefault("the ", ""),
                wotw.generations().getOrDefault("the ", ""));
    }
}
