package org.d2l.rnn.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.d2l.rnn.Checks;
import org.d2l.rnn.UserError;
import org.d2l.rnn.models.StatefulGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * The one trainer (d2l's {@code train_ch8} and {@code train_seq2seq}): epochs over {@link TrainingData}, the
 * gradient scaled to d2l's objective and clipped by one global norm ({@link GradientNormalizer}), per-token loss
 * and perplexity, tokens/s.
 *
 * <p>State, as d2l: every epoch starts from a fresh state; with random partitioning every minibatch does; with
 * sequential partitioning the state flows from minibatch to minibatch, detached (no gradient into earlier
 * minibatches) — DL4J's truncated BPTT with the minibatch length, kept across fit calls by
 * {@link StatefulGraph} (so carrying state needs one). d2l-zh's Jay Chou runs also carry it across epochs ({@code optCarryAcrossEpochs}).
 * Bidirectional models cannot carry state (DL4J refuses TBPTT for them): they always start fresh.
 */
public final class Trainer {
    /** Called after every epoch, e.g. to print generations. */
    @FunctionalInterface
    public interface EpochListener {
        void epochDone(int epoch, double perplexity, double tokensPerSec);
    }

    private final ComputationGraph net;
    private final TrainingData data;
    private final int epochs;
    private final double clip;
    private final boolean carryAcrossEpochs;
    private final boolean stateless;
    private final EpochListener listener;
    private final String task;
    private final TrainingProgress resumeFrom;
    private final int checkpointEvery;
    private final Consumer<TrainingProgress> checkpointSink;
    private final int workers;

    private Trainer(Builder b) {
        this.net = b.net;
        this.data = b.data;
        this.epochs = b.epochs;
        this.clip = b.clip;
        this.carryAcrossEpochs = b.carryAcrossEpochs;
        this.stateless = b.stateless;
        this.listener = b.listener;
        this.task = b.task;
        this.resumeFrom = b.resumeFrom;
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointSink = b.checkpointSink;
        this.workers = b.workers;
    }

    public static Builder builder() {
        return new Builder();
    }

    public TrainingResult fit() {
        int steps = data.steps();
        boolean carry = data.carriesState() && !stateless;
        if (carry && !(net instanceof StatefulGraph)) {
            throw new IllegalStateException("carrying state from minibatch to minibatch needs a StatefulGraph");
        }
        GradientNormalizer normalizer = new GradientNormalizer(data.objective(), steps, clip);
        Collection<TrainingListener> before = new ArrayList<>(net.getListeners());
        ParallelEpochs parallel = null;
        if (workers > 1) {
            if (carry || data.iterator() == null) {
                throw new UserError("--workers needs minibatches with a fresh state (--sampling random) from a "
                        + "language-model corpus: replicas cannot share a carried state");
            }
            // a replica must not stop the others by throwing: it flags a NaN gradient, and the epoch fails after
            normalizer = normalizer.flaggingNonFinite();
            List<TrainingListener> listeners = new ArrayList<>(before);
            listeners.add(normalizer);
            parallel = new ParallelEpochs(net, workers, data.iterator(), steps, listeners);
        } else {
            net.addListeners(normalizer);
            SameViewUpdater.install(net);
        }
        setCarry(carry);
        resetState();
        double[] ppl = new double[epochs];
        double[] speed = new double[epochs];
        double[] outsideHeap = new double[epochs];
        double[] resident = new double[epochs];
        double[][] norms = new double[3][epochs]; // mean, max, share clipped
        int first = 0;
        double secondsBefore = 0;
        if (resumeFrom != null) {
            first = resumeFrom.epochsDone();
            secondsBefore = resumeFrom.secondsSoFar();
            System.arraycopy(resumeFrom.perplexityByEpoch(), 0, ppl, 0, first);
            System.arraycopy(resumeFrom.tokensPerSecByEpoch(), 0, speed, 0, first);
            resumeFrom.restore(data, net);
        }
        long tokens = 0;
        MemorySnapshot afterWarmUp = MemorySnapshot.UNKNOWN;
        long start = System.nanoTime();
        try (ProgressDisplay progress = ProgressDisplay.start(task, epochs, "epochs", first)) {
            for (int epoch = first; epoch < epochs; epoch++) {
                if (!carryAcrossEpochs) {
                    resetState();
                }
                long t0 = System.nanoTime();
                Perplexity p = parallel != null ? parallel.fitEpoch() : fitEpoch(epoch, ppl);
                if (normalizer.sawNonFinite() || !Double.isFinite(p.value())) {
                    throw new TrainingDiverged(epoch + 1, 0, normalizer.sawNonFinite() ? "gradient norm "
                            + normalizer.lastNorm() : "loss " + p.value(), Arrays.copyOf(ppl, epoch));
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                ppl[epoch] = p.value();
                speed[epoch] = p.tokens() / seconds;
                double[] epochNorms = normalizer.takeEpochNorms();
                for (int k = 0; k < 3; k++) {
                    norms[k][epoch] = epochNorms[k];
                }
                tokens += p.tokens();
                MemorySnapshot memory = MemorySnapshot.now();
                outsideHeap[epoch] = memory.outsideHeapMib();
                resident[epoch] = memory.residentMib();
                if (epoch == warmUpEpochs() - 1) {
                    afterWarmUp = memory;
                }
                progress.step(String.format("ppl %.3f, %.0f tokens/s, resident %.0f MiB, %.0f outside the heap",
                        ppl[epoch], speed[epoch], memory.residentMib(), memory.outsideHeapMib()));
                if (listener != null) {
                    listener.epochDone(epoch + 1, ppl[epoch], speed[epoch]);
                }
                if (checkpointSink != null && ((epoch + 1) % checkpointEvery == 0 || epoch + 1 == epochs)) {
                    double soFar = secondsBefore + (System.nanoTime() - start) / 1e9;
                    checkpointSink.accept(TrainingProgress.capture(epoch + 1, ppl, speed, soFar, data, net));
                }
            }
        } finally {
            setCarry(false);
            net.setListeners(before);
            data.release();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrainingResult(ppl, speed, tokens / seconds, secondsBefore + seconds, normalizer.lastNorm(), afterWarmUp,
                MemorySnapshot.now(), Arrays.copyOfRange(outsideHeap, first, epochs), Arrays.copyOfRange(resident, first, epochs),
                new TrainingResult.GradientNorms(Arrays.copyOfRange(norms[0], first, epochs),
                        Arrays.copyOfRange(norms[1], first, epochs), Arrays.copyOfRange(norms[2], first, epochs)));
    }

    /** One epoch, minibatch by minibatch; stops at the first NaN or infinite loss or gradient. */
    private Perplexity fitEpoch(int epoch, double[] ppl) {
        Perplexity p = new Perplexity();
        data.reset();
        int minibatch = 0;
        while (data.hasNext()) {
            minibatch++;
            TrainingData.BatchLoss loss;
            try {
                loss = data.fitNext(net);
            } catch (GradientNormalizer.NonFiniteGradient e) {
                throw new TrainingDiverged(epoch + 1, minibatch, "gradient norm " + e.norm(), Arrays.copyOf(ppl, epoch));
            }
            if (!Double.isFinite(loss.crossEntropySum())) {
                throw new TrainingDiverged(epoch + 1, minibatch, "loss " + loss.crossEntropySum(),
                        Arrays.copyOf(ppl, epoch));
            }
            p.addSum(loss.crossEntropySum(), loss.tokens());
        }
        return p;
    }

    /**
     * Epochs after which memory counts as warmed up: a tenth of the run. Native allocators and the JIT grow the
     * resident set during the first epochs (788 MiB reached by epoch 30 of an RNN-256 run, flat to epoch 80 after);
     * growth after that point would be a leak.
     */
    private int warmUpEpochs() {
        return Math.max(1, epochs / 10);
    }

    private void setCarry(boolean carry) {
        if (net instanceof StatefulGraph s) {
            s.setCarryState(carry);
        }
    }

    private void resetState() {
        if (net instanceof StatefulGraph s) {
            s.resetState();
        } else {
            net.rnnClearPreviousState();
        }
    }

    /** Required: {@code setNetwork}, {@code setData}, {@code setEpochs}. */
    public static final class Builder {
        private ComputationGraph net;
        private TrainingData data;
        private int epochs;
        private double clip = 1.0;
        private boolean carryAcrossEpochs;
        private boolean stateless;
        private EpochListener listener;
        private String task = "training";
        private TrainingProgress resumeFrom;
        private int checkpointEvery;
        private Consumer<TrainingProgress> checkpointSink;
        private int workers = 1;

        public Builder setNetwork(ComputationGraph net) {
            this.net = net;
            return this;
        }

        public Builder setData(TrainingData data) {
            this.data = data;
            return this;
        }

        public Builder setEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Global-norm clipping threshold θ (d2l: 1); {@code <= 0}: none. */
        public Builder optClip(double clip) {
            this.clip = clip;
            return this;
        }

        /** Keep the sequential state across epochs too (d2l-zh v1's Jay Chou training). */
        public Builder optCarryAcrossEpochs(boolean carry) {
            this.carryAcrossEpochs = carry;
            return this;
        }

        /** Never carry state (bidirectional models: DL4J cannot run them with stored state). */
        public Builder optStateless(boolean stateless) {
            this.stateless = stateless;
            return this;
        }

        public Builder optEpochListener(EpochListener listener) {
            this.listener = listener;
            return this;
        }

        public Builder optTaskName(String task) {
            this.task = task;
            return this;
        }

        /** Continue a run from a checkpoint: the network and its updater must already be restored. */
        public Builder optResumeFrom(TrainingProgress progress) {
            this.resumeFrom = progress;
            return this;
        }

        /**
         * After every {@code every} epochs (and the last) hand the run's progress to {@code sink}, which saves it
         * with the network. Never called for an epoch that diverged, so the last checkpoint stays a good one.
         */
        public Builder optCheckpoint(int every, Consumer<TrainingProgress> sink) {
            this.checkpointEvery = every;
            this.checkpointSink = sink;
            return this;
        }

        /** Data-parallel training with DL4J's ParallelWrapper over this many workers (1: none). */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        public Trainer build() {
            if (net == null || data == null) {
                throw new IllegalStateException("setNetwork and setData are required");
            }
            Checks.epochs(epochs);
            if (workers < 1) {
                throw new UserError("--workers must be at least 1, got " + workers);
            }
            if (checkpointSink != null && checkpointEvery < 1) {
                throw new UserError("--checkpoint-every must be at least 1, got " + checkpointEvery);
            }
            if (resumeFrom != null && resumeFrom.epochsDone() >= epochs) {
                throw new UserError("the checkpoint has already run " + resumeFrom.epochsDone() + " of " + epochs
                        + " epochs; give a larger --epochs to train further");
            }
            return new Trainer(this);
        }
    }
}
