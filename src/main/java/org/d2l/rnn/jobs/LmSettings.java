package org.d2l.rnn.jobs;

import java.nio.file.Path;
import java.util.List;
import org.d2l.rnn.Checks;
import org.d2l.rnn.UserError;
import org.d2l.rnn.datavec.Partitioning;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.text.Tokenizer;

/**
 * Every knob of a language-model run, with d2l's Time Machine settings as defaults (batch 32, 35 steps,
 * hidden 256, SGD lr 1, clip θ = 1, sequential partitioning, 500 epochs, first 10,000 tokens).
 */
public record LmSettings(ModelKind model, String dataset, Tokenizer tokenizer, int hidden, int layers, int embedding,
                         String activation, int steps, int batch, String optimizer, double lr, double clip,
                         Partitioning sampling, boolean randomOffset, boolean carryAcrossEpochs, int epochs,
                         int maxTokens, long seed, List<String> prefixes, int predictLength, int predictEvery,
                         int workers, boolean detach, Path save, boolean predictEveryPrefix,
                         String untrainedPrefix) {

    /** ND4J seeds its generator from the clock when given 0, so a run with seed 0 would not repeat. */
    public static final String SEED_ZERO = "--seed must not be 0: ND4J reads seed 0 as 'seed from the clock', "
            + "so the run would not repeat; use any other number";

    /** d2l-zh's prefixes for the Jay Chou lyrics ("apart", "not apart"): its sections' and train-lm's default there. */
    public static final List<String> JAY_CHOU_PREFIXES = List.of("分开", "不分开");

    /** How many tokens d2l predicts from the untrained model ({@code predict_ch8(prefix, 10, ...)}; d2l-zh alike). */
    public static final int UNTRAINED_LENGTH = 10;

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.dataset = dataset;
        b.tokenizer = tokenizer;
        b.hidden = hidden;
        b.layers = layers;
        b.embedding = embedding;
        b.activation = activation;
        b.steps = steps;
        b.batch = batch;
        b.optimizer = optimizer;
        b.lr = lr;
        b.clip = clip;
        b.sampling = sampling;
        b.randomOffset = randomOffset;
        b.carryAcrossEpochs = carryAcrossEpochs;
        b.epochs = epochs;
        b.maxTokens = maxTokens;
        b.seed = seed;
        b.prefixes = prefixes;
        b.predictLength = predictLength;
        b.predictEvery = predictEvery;
        b.workers = workers;
        b.detach = detach;
        b.save = save;
        b.predictEveryPrefix = predictEveryPrefix;
        b.untrainedPrefix = untrainedPrefix;
        return b;
    }

    /** All {@code opt*}: each has d2l's Time Machine default; {@link #build()} checks every value. */
    public static final class Builder {
        private ModelKind model = ModelKind.LSTM;
        private String dataset = "time-machine";
        private Tokenizer tokenizer = Tokenizer.CHAR;
        private int hidden = 256;
        private int layers = 1;
        private int embedding;
        private String activation = "tanh";
        private int steps = 35;
        private int batch = 32;
        private String optimizer = "sgd";
        private double lr = 1;
        private double clip = 1;
        private Partitioning sampling = Partitioning.SEQUENTIAL;
        private boolean randomOffset = true;
        private boolean carryAcrossEpochs;
        private int epochs = 500;
        private int maxTokens = 10_000;
        private long seed = 42;
        private List<String> prefixes = List.of("time traveller", "traveller");
        private int predictLength = 50;
        private int predictEvery = 50;
        private int workers = 1;
        private boolean detach = true;
        private Path save;
        private boolean predictEveryPrefix;
        private String untrainedPrefix;

        public Builder optModel(ModelKind v) { model = v; return this; }
        public Builder optDataset(String v) { dataset = v; return this; }
        public Builder optTokenizer(Tokenizer v) { tokenizer = v; return this; }
        public Builder optHidden(int v) { hidden = v; return this; }
        public Builder optLayers(int v) { layers = v; return this; }
        public Builder optEmbedding(int v) { embedding = v; return this; }
        public Builder optActivation(String v) { activation = v; return this; }
        public Builder optSteps(int v) { steps = v; return this; }
        public Builder optBatch(int v) { batch = v; return this; }
        public Builder optOptimizer(String v) { optimizer = v; return this; }
        public Builder optLr(double v) { lr = v; return this; }
        public Builder optClip(double v) { clip = v; return this; }
        public Builder optSampling(Partitioning v) { sampling = v; return this; }
        public Builder optRandomOffset(boolean v) { randomOffset = v; return this; }
        public Builder optCarryAcrossEpochs(boolean v) { carryAcrossEpochs = v; return this; }
        public Builder optEpochs(int v) { epochs = v; return this; }
        public Builder optMaxTokens(int v) { maxTokens = v; return this; }
        public Builder optSeed(long v) { seed = v; return this; }
        public Builder optPrefixes(List<String> v) { prefixes = List.copyOf(v); return this; }
        public Builder optPredictLength(int v) { predictLength = v; return this; }
        public Builder optPredictEvery(int v) { predictEvery = v; return this; }
        /** Data-parallel workers (DL4J ParallelWrapper); 1 = plain training. */
        public Builder optWorkers(int v) { workers = v; return this; }
        /**
         * false: sequential partitioning without detaching the state — every minibatch backpropagates through the
         * whole epoch so far (the d2l 8.5 exercise); cost grows with the square of the minibatches per epoch.
         */
        public Builder optDetach(boolean v) { detach = v; return this; }
        public Builder optSave(Path v) { save = v; return this; }
        /**
         * true: the generations during training are made from every prefix (d2l-zh prints 分开 and 不分开 at each
         * period); false: from the first only (d2l's {@code train_ch8} prints {@code predict('time traveller')}).
         */
        public Builder optPredictEveryPrefix(boolean v) { predictEveryPrefix = v; return this; }
        /**
         * Before training, predict {@link #UNTRAINED_LENGTH} tokens from this prefix with the untrained model, as
         * d2l does to show that it cannot yet ({@code predict_ch8('time traveller ', 10, ...)}); null: not done.
         */
        public Builder optUntrainedPrefix(String v) { untrainedPrefix = v; return this; }

        /** Checks every value; a bad one is a one-line error naming its flag. */
        public LmSettings build() {
            Checks.epochs(epochs);
            Checks.positive("--batch", batch);
            Checks.positive("--steps", steps);
            Checks.positive("--hidden", hidden);
            Checks.positive("--layers", layers);
            if (!(lr > 0) || !Double.isFinite(lr)) {
                throw new UserError("--lr must be a positive number, got " + lr);
            }
            if (!"sgd".equals(optimizer) && !"adam".equals(optimizer)) {
                throw new UserError("--optimizer must be sgd or adam, got " + optimizer);
            }
            if (clip < 0 || Double.isNaN(clip)) {
                throw new UserError("--clip must be >= 0 (0 = no clipping), got " + clip);
            }
            if (seed == 0) {
                throw new UserError(SEED_ZERO);
            }
            Checks.positive("--workers", workers);
            if (!detach && (sampling != Partitioning.SEQUENTIAL || model.bidirectional() || workers > 1)) {
                throw new UserError("--no-detach needs --sampling sequential, a unidirectional model and one worker: "
                        + "only a carried state can be left attached");
            }
            if (workers > 1 && sampling == Partitioning.SEQUENTIAL && !model.bidirectional()) {
                throw new UserError("--workers " + workers + " needs --sampling random (each minibatch from a fresh "
                        + "state): replicas cannot share a carried state");
            }
            if (predictLength < 0) {
                throw new UserError("--length must be >= 0, got " + predictLength);
            }
            if (untrainedPrefix != null && untrainedPrefix.isEmpty()) {
                throw new UserError("the untrained model's prefix must have at least one character");
            }
            return new LmSettings(model, dataset, tokenizer, hidden, layers, embedding, activation, steps, batch,
                    optimizer, lr, clip, sampling, randomOffset, carryAcrossEpochs, epochs, maxTokens, seed, prefixes,
                    predictLength, predictEvery, workers, detach, save, predictEveryPrefix, untrainedPrefix);
        }
    }
}
