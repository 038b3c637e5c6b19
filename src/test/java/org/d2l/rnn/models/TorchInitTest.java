package org.d2l.rnn.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;

/** Concise models start as d2l's PyTorch ones: every weight and bias uniform in ±1/√fan_in, seeded. */
class TorchInitTest {
    private static void assertUniform(INDArray values, double bound, String what) {
        double max = values.amaxNumber().doubleValue();
        assertTrue(max <= bound && max > 0.9 * bound, what + ": |max| " + max + " vs bound " + bound);
        // U(-a, a) has standard deviation a/√3
        assertEquals(bound / Math.sqrt(3), values.stdNumber().doubleValue(), 0.1 * bound, what);
    }

    @Test
    void conciseLayersGetPyTorchsDefaultInitAndScratchOnesKeepD2ls() {
        for (ModelKind kind : java.util.Arrays.stream(ModelKind.values()).filter(k -> !k.scratch()).toList()) {
            ComputationGraph net = LanguageModels.build(ModelSpec.of(kind, 28, 64, 1), new Sgd(1), 35, 7);
            net.getLayer("rnn1").paramTable().forEach((key, p) -> assertUniform(p, 1 / 8.0, kind + " " + key));
            double outBound = 1 / Math.sqrt(kind.bidirectional() ? 128 : 64);
            net.getLayer(LanguageModels.OUTPUT).paramTable().forEach((key, p) -> {
                if (p.length() > 100) { // the 28 biases are too few for the spread check; their bound still holds
                    assertUniform(p, outBound, kind + " out " + key);
                } else {
                    assertTrue(p.amaxNumber().doubleValue() <= outBound && p.amaxNumber().doubleValue() > 0);
                }
            });
        }
        ComputationGraph scratch = LanguageModels.build(ModelSpec.of(ModelKind.RNN_SCRATCH, 28, 64, 1), new Sgd(1), 35, 7);
        assertEquals(0.01, scratch.getLayer(LanguageModels.OUTPUT).paramTable().get("W").stdNumber().doubleValue(), 0.002,
                "d2l's scratch models: N(0, 0.01)");
    }

    @Test
    void theSeedFixesTheDraw() {
        INDArray a = LanguageModels.build(ModelSpec.of(ModelKind.LSTM, 28, 32, 2), new Sgd(1), 35, 5).params();
        INDArray b = LanguageModels.build(ModelSpec.of(ModelKind.LSTM, 28, 32, 2), new Sgd(1), 35, 5).params();
        INDArray c = LanguageModels.build(ModelSpec.of(ModelKind.LSTM, 28, 32, 2), new Sgd(1), 35, 6).params();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }
}
