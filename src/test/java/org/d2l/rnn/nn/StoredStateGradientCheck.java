package org.d2l.rnn.nn;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central-difference gradient check of a TBPTT-configured graph whose recurrent layer starts from a stored,
 * non-zero state — the case DL4J's own GradientCheckUtil never exercises, and where SimpleRnn's backward pass
 * was wrong. The analytic gradient is DL4J's {@code computeGradientAndScore} (which, under TBPTT, runs the
 * forward pass from the stored state); the numeric one perturbs each parameter and recomputes the score the same way.
 */
final class StoredStateGradientCheck {
    private static final double MIN_ABS_ERROR = 1e-8;

    private StoredStateGradientCheck() {
    }

    /** @return the largest relative error over all parameters (0 is perfect) */
    static double maxRelativeError(ComputationGraph net, String layer, Map<String, INDArray> state, INDArray x, INDArray y) {
        net.setInputs(x);
        net.setLabels(y);
        setState(net, layer, state);
        net.computeGradientAndScore();
        // DL4J's gradient view holds the SUM over the minibatch, its score the mean
        INDArray analytic = net.getGradientsViewArray().div(x.size(0));
        INDArray params = net.params();
        double eps = 1e-6;
        double worst = 0;
        for (long i = 0; i < params.length(); i++) {
            double original = params.getDouble(i);
            params.putScalar(i, original + eps);
            double plus = score(net, layer, state);
            params.putScalar(i, original - eps);
            double minus = score(net, layer, state);
            params.putScalar(i, original);
            double numeric = (plus - minus) / (2 * eps);
            double a = analytic.getDouble(i);
            double denominator = Math.abs(a) + Math.abs(numeric);
            // as DL4J's GradientCheckUtil: differences below 1e-8 are finite-difference noise (d2l's N(0, 0.01)
            // init makes some gradients ~1e-10), not errors
            if (Math.abs(a - numeric) > MIN_ABS_ERROR) {
                worst = Math.max(worst, Math.abs(a - numeric) / denominator);
            }
        }
        return worst;
    }

    /**
     * As between two TBPTT segments: DL4J's layers run the forward pass from the TBPTT state (which every forward
     * pass then replaces) and LSTM recomputes it for the backward pass from the previous state; DL4J keeps the two
     * equal between segments (rnnUpdateStateWithTBPTTState), so does this check.
     */
    private static void setState(ComputationGraph net, String layer, Map<String, INDArray> state) {
        var recurrent = (org.deeplearning4j.nn.api.layers.RecurrentLayer) net.getLayer(layer);
        recurrent.rnnSetTBPTTState(new java.util.HashMap<>(state));
        recurrent.rnnSetPreviousState(new java.util.HashMap<>(state));
    }

    private static double score(ComputationGraph net, String layer, Map<String, INDArray> state) {
        setState(net, layer, state);
        net.computeGradientAndScore();
        return net.score();
    }
}
