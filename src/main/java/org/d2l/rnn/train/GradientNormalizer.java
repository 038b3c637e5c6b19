package org.d2l.rnn.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Makes DL4J's gradient d2l's, then clips it by ONE global L2 norm over all parameters (d2l's
 * {@code grad_clipping}, torch's {@code clip_grad_norm_}) — not DL4J's per-layer {@code GradientNormalization}.
 *
 * <p>It runs in {@code onGradientCalculation}: after the gradient is computed, before the updater. At that point
 * the flattened gradient view holds the SUM over the minibatch of each sequence's loss summed over time steps
 * (RnnOutputLayer's score). The updater later divides by the batch size; dividing here by the number of time
 * steps makes the applied gradient the per-token mean d2l uses, so d2l's learning rates and θ mean the same.
 */
public final class GradientNormalizer extends BaseTrainingListener {
    private final int steps;
    private final double theta;
    private double lastNorm = Double.NaN;

    /**
     * @param steps time steps per sequence (the loss is summed over them)
     * @param theta clip the global norm to this; {@code <= 0} or infinite: no clipping
     */
    public GradientNormalizer(int steps, double theta) {
        this.steps = steps;
        this.theta = theta;
    }

    @Override
    public void onGradientCalculation(Model model) {
        INDArray g = model.getGradientsViewArray();
        g.muli(1.0 / steps);
        double norm = g.norm2Number().doubleValue() / model.batchSize();
        lastNorm = norm;
        if (theta > 0 && Double.isFinite(theta) && norm > theta) {
            g.muli(theta / norm);
        }
    }

    /** The global norm of the last minibatch's per-token gradient, before clipping. */
    public double lastNorm() {
        return lastNorm;
    }
}
