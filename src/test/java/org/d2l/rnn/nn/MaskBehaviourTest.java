package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.d2l.rnn.DoublePrecision;
import org.d2l.rnn.TestArrays;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.models.ModelSpec;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The one mask behaviour of the kernel layers (nn package documentation): a feature mask is not read — every step,
 * padded ones included, is computed as without it, and the gradient is the same — while the label mask still
 * keeps padded steps out of the loss.
 */
class MaskBehaviourTest extends DoublePrecision {
    private static final int VOCAB = 5;
    private static final int STEPS = 6;

    /** The kinds whose layer runs on a kernel through KernelLayerAdapter: neither scratch nor bidirectional. */
    static Stream<ModelKind> kernelLayerKinds() {
        return Arrays.stream(ModelKind.values()).filter(k -> !k.scratch() && !k.bidirectional());
    }

    @ParameterizedTest
    @MethodSource("kernelLayerKinds")
    void aFeatureMaskChangesNeitherActivationsNorGradients(ModelKind kind) {
        ComputationGraph net = LanguageModels.build(ModelSpec.of(kind, VOCAB, 4, 1), new NoOp(), 0, 7, DataType.DOUBLE);
        Random random = new Random(3);
        INDArray x = TestArrays.oneHot(random, 3, VOCAB, STEPS, DataType.DOUBLE);
        INDArray y = TestArrays.oneHot(random, 3, VOCAB, STEPS, DataType.DOUBLE);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, 3, STEPS); // right-padded: rows end after 4, 6 and 5 steps
        mask.putScalar(0, 4, 0).putScalar(0, 5, 0).putScalar(2, 5, 0);

        INDArray plain = activations(net, x, null);
        INDArray masked = activations(net, x, mask);
        assertEquals(0, plain.sub(masked).amaxNumber().doubleValue(), 0, kind + ": activations differ under a mask");
        assertTrue(masked.getDouble(0, 0, 5) != 0, kind + ": a padded step was zeroed");

        INDArray gradientPlain = gradient(net, x, y, null, mask);
        INDArray gradientMasked = gradient(net, x, y, mask, mask);
        assertEquals(0, gradientPlain.sub(gradientMasked).amaxNumber().doubleValue(), 1e-15, kind + ": gradient");
        INDArray gradientUnmaskedLoss = gradient(net, x, y, null, null);
        assertTrue(gradientUnmaskedLoss.sub(gradientPlain).amaxNumber().doubleValue() > 1e-6,
                kind + ": the label mask must still keep padded steps out of the loss");
    }

    private static INDArray activations(ComputationGraph net, INDArray x, INDArray mask) {
        net.setLayerMaskArrays(mask == null ? null : new INDArray[] {mask}, null);
        try {
            return net.feedForward(new INDArray[] {x}, false).get("rnn1").dup();
        } finally {
            net.clearLayerMaskArrays();
        }
    }

    private static INDArray gradient(ComputationGraph net, INDArray x, INDArray y, INDArray featureMask,
                                     INDArray labelMask) {
        net.rnnClearPreviousState();
        net.setInputs(x);
        net.setLabels(y);
        net.setLayerMaskArrays(featureMask == null ? null : new INDArray[] {featureMask},
                labelMask == null ? null : new INDArray[] {labelMask});
        try {
            net.computeGradientAndScore();
            return net.getGradientsViewArray().dup();
        } finally {
            net.clearLayerMaskArrays();
        }
    }
}
