package org.d2l.rnn.train;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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

    private Trainer(Builder b) {
        this.net = b.net;
        this.data = b.data;
        this.epochs = b.epochs;
        this.clip = b.clip;
        this.carryAcrossEpochs = b.carryAcrossEpochs;
        this.stateless = b.stateless;
        this.listener = b.listener;
        this.task = b.task;
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
        net.addListeners(normalizer);
        setCarry(carry);
        resetState();
        double[] ppl = new double[epochs];
        double[] speed = new double[epochs];
        long tokens = 0;
        double residentAfterWarmUp = Double.NaN;
        long start = System.nanoTime();
        try (Progress progress = Progress.start(task, epochs, "epochs")) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                if (!carryAcrossEpochs) {
                    resetState();
                }
                Perplexity p = new Perplexity();
                long t0 = System.nanoTime();
                data.reset();
                while (data.hasNext()) {
                    TrainingData.BatchLoss loss = data.fitNext(net);
                    p.addSum(loss.crossEntropySum(), loss.tokens());
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                ppl[epoch] = p.value();
                speed[epoch] = p.tokens() / seconds;
                tokens += p.tokens();
                if (!Double.isFinite(ppl[epoch])) {
                    throw new UserError("training diverged at epoch " + (epoch + 1) + " (perplexity " + ppl[epoch]
                            + "); lower --lr or clip harder with --clip");
                }
                if (epoch == warmUpEpochs() - 1) {
                    residentAfterWarmUp = residentMib();
                }
                progress.step(String.format("ppl %.3f, %.0f tokens/s", ppl[epoch], speed[epoch]));
                if (listener != null) {
                    listener.epochDone(epoch + 1, ppl[epoch], speed[epoch]);
                }
            }
        } finally {
            setCarry(false);
            net.setListeners(before);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrainingResult(ppl, speed, tokens / seconds, seconds, normalizer.lastNorm(), residentAfterWarmUp,
                residentMib());
    }

    /**
     * Epochs after which memory counts as warmed up: a tenth of the run. Native allocators and the JIT grow the
     * resident set during the first epochs (788 MiB reached by epoch 30 of an RNN-256 run, flat to epoch 80 after);
     * growth after that point would be a leak.
     */
    private int warmUpEpochs() {
        return Math.max(1, epochs / 10);
    }

    /** Resident memory of the whole process (heap, ND4J's off-heap buffers, native code), MiB. */
    private static double residentMib() {
        return org.bytedeco.javacpp.Pointer.physicalBytes() / 1048576.0;
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

        public Trainer build() {
            if (net == null || data == null) {
                throw new IllegalStateException("setNetwork and setData are required");
            }
            if (epochs < 1) {
                throw new UserError("--epochs must be at least 1, got " + epochs);
            }
            return new Trainer(this);
        }
    }
}
