package org.d2l.rnn.jobs;

import java.nio.file.Path;
import org.d2l.rnn.Checks;
import org.d2l.rnn.UserError;
import org.d2l.rnn.seq2seq.DecoderVertex;

/**
 * Every knob of a seq2seq run, with d2l 9.7's settings as defaults: 600 examples, num_steps 10, min_freq 2,
 * batch 64, embedding 32, hidden 32, 2 GRU layers, dropout 0.1, Adam lr 0.005, clip θ = 1, 300 epochs.
 */
public record TranslationSettings(int numExamples, int steps, int minFreq, int batch, int embedding, int hidden,
                                  int layers, double dropout, double lr, double clip, int epochs, long seed, int beam,
                                  DecoderVertex.Engine decoder, Path save) {

    public static Builder builder() {
        return new Builder();
    }

    /**
     * All {@code opt*}: each has d2l's default; {@link #build()} checks every value. The style of every settings
     * builder here ({@code LmSettings}, {@code SequenceModels.Settings}): {@code set*} for what has no default,
     * {@code opt*} for the rest, as in DJL's examples.
     */
    public static final class Builder {
        private int numExamples = 600;
        private int steps = 10;
        private int minFreq = 2;
        private int batch = 64;
        private int embedding = 32;
        private int hidden = 32;
        private int layers = 2;
        private double dropout = 0.1;
        private double lr = 0.005;
        private double clip = 1;
        private int epochs = 300;
        private long seed = 42;
        private int beam = 2;
        private DecoderVertex.Engine decoder = DecoderVertex.Engine.SAMEDIFF;
        private Path save;

        public Builder optNumExamples(int v) { numExamples = v; return this; }
        public Builder optSteps(int v) { steps = v; return this; }
        public Builder optMinFreq(int v) { minFreq = v; return this; }
        public Builder optBatch(int v) { batch = v; return this; }
        public Builder optEmbedding(int v) { embedding = v; return this; }
        public Builder optHidden(int v) { hidden = v; return this; }
        public Builder optLayers(int v) { layers = v; return this; }
        public Builder optDropout(double v) { dropout = v; return this; }
        public Builder optLr(double v) { lr = v; return this; }
        public Builder optClip(double v) { clip = v; return this; }
        public Builder optEpochs(int v) { epochs = v; return this; }
        public Builder optSeed(long v) { seed = v; return this; }
        public Builder optBeam(int v) { beam = v; return this; }
        public Builder optDecoder(DecoderVertex.Engine v) { decoder = v; return this; }
        public Builder optSave(Path v) { save = v; return this; }

        /** Validates every value; a bad one is a {@link UserError} naming the flag. */
        public TranslationSettings build() {
            require(numExamples >= 0, "--num-examples must be >= 0 (0 = all), got " + numExamples);
            require(steps >= 2, "--num-steps must be at least 2 (a word and <eos>), got " + steps);
            require(minFreq >= 1, "--min-freq must be at least 1, got " + minFreq);
            require(batch >= 1, "--batch must be at least 1, got " + batch);
            require(embedding >= 1 && hidden >= 1 && layers >= 1,
                    "--embedding, --hidden and --layers must be at least 1");
            require(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1), got " + dropout);
            require(lr > 0 && Double.isFinite(lr), "--lr must be positive, got " + lr);
            require(clip >= 0, "--clip must be >= 0 (0 = none), got " + clip);
            Checks.epochs(epochs);
            require(seed != 0, LmSettings.SEED_ZERO);
            require(beam >= 1, "--beam must be at least 1 (1 = greedy), got " + beam);
            return new TranslationSettings(numExamples, steps, minFreq, batch, embedding, hidden, layers, dropout, lr,
                    clip, epochs, seed, beam, decoder, save);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new UserError(message);
            }
        }
    }
}
