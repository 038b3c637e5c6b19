package org.d2l.rnn.train;

import org.d2l.rnn.nn.FlatVectors;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Makes DL4J's gradient d2l's ({@link Objective}), then clips it by ONE global L2 norm over all parameters
 * (d2l's {@code grad_clipping}, torch's {@code clip_grad_norm_}) — not DL4J's per-layer
 * {@code GradientNormalization}.
 *
 * <p>It runs in {@code onGradientCalculation}: after the gradient is computed, before the updater. At that point
 * the flattened gradient view holds Σ CE over the minibatch; the updater later divides by the batch size B. The
 * norm d2l clips is that of the gradient the updater will apply: ‖scaled gradient‖ / B.
 */
public final class GradientNormalizer extends BaseTrainingListener {
    private final Objective objective;
    private final int steps;
    private final double theta;
    private final boolean flagOnly;
    private volatile double lastNorm = Double.NaN;
    private volatile boolean sawNonFinite;
    /** This epoch's norms so far (replicas call from several threads): sum, largest, count, how many were clipped. */
    private double epochSum;
    private double epochMax;
    private int epochCount;
    private int epochClipped;

    /**
     * @param steps time steps per sequence T
     * @param theta clip the global norm to this; {@code <= 0} or infinite: no clipping
     */
    public GradientNormalizer(Objective objective, int steps, double theta) {
        this(objective, steps, theta, false);
    }

    private GradientNormalizer(Objective objective, int steps, double theta, boolean flagOnly) {
        this.objective = objective;
        this.steps = steps;
        this.theta = theta;
        this.flagOnly = flagOnly;
    }

    /**
     * The same clipping, but a NaN or infinite gradient is zeroed and flagged ({@link #sawNonFinite()}) instead of
     * thrown: for replicas on worker threads, where an exception would stall the others.
     */
    GradientNormalizer flaggingNonFinite() {
        return new GradientNormalizer(objective, steps, theta, true);
    }

    /** d2l {@code train_ch8}'s per-token mean loss. */
    public GradientNormalizer(int steps, double theta) {
        this(Objective.TOKEN_MEAN, steps, theta);
    }

    @Override
    public void onGradientCalculation(Model model) {
        INDArray g = model.getGradientsViewArray();
        int batch = model.batchSize();
        double norm = FlatVectors.scaleAndNorm(g, objective.gradientFactor(batch, steps)) / batch;
        lastNorm = norm;
        record(norm);
        if (!Double.isFinite(norm)) {
            sawNonFinite = true;
            if (flagOnly) {
                g.assign(0);
                return;
            }
            throw new NonFiniteGradient(norm); // before the updater: the parameters stay the last good ones
        }
        if (theta > 0 && Double.isFinite(theta) && norm > theta) {
            FlatVectors.scale(g, theta / norm);
        }
    }

    /** The gradient held NaN or infinity: the {@link Trainer} turns it into {@link TrainingDiverged}. */
    static final class NonFiniteGradient extends RuntimeException {
        private final double norm;

        NonFiniteGradient(double norm) {
            super("gradient norm " + norm, null, false, false);
            this.norm = norm;
        }

        double norm() {
            return norm;
        }
    }

    private synchronized void record(double norm) {
        if (Double.isFinite(norm)) {
            epochSum += norm;
            epochMax = Math.max(epochMax, norm);
            epochCount++;
            epochClipped += theta > 0 && Double.isFinite(theta) && norm > theta ? 1 : 0;
        }
    }

    /**
     * The epoch's global gradient norms before clipping — mean and largest over its minibatches — and the share of
     * minibatches that were clipped; starts the next epoch's count.
     */
    synchronized double[] takeEpochNorms() {
        double[] out = epochCount == 0 ? new double[] {Double.NaN, Double.NaN, Double.NaN}
                : new double[] {epochSum / epochCount, epochMax, (double) epochClipped / epochCount};
        epochSum = 0;
        epochMax = 0;
        epochCount = 0;
        epochClipped = 0;
        return out;
    }

    /** Whether any gradient so far held NaN or infinity. */
    public boolean sawNonFinite() {
        return sawNonFinite;
    }

    /** The global norm of the last minibatch's d2l gradient, before clipping. */
    public double lastNorm() {
        return lastNorm;
    }
}
