package org.d2l.rnn.models;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's default initialisation, which d2l's concise models get from {@code nn.RNN}, {@code nn.GRU},
 * {@code nn.LSTM} and {@code nn.Linear}: every weight AND bias uniform in ±1/√fan_in, where fan_in is the hidden
 * size for the recurrent layers (their input weights too) and the layer's input size for the dense output.
 *
 * <p>Why it matters: DL4J's Xavier init gives the recurrent weights a larger spread (std 0.0625 instead of
 * 0.036 at H = 256) and zero biases, plus a forget-gate bias of 1 for LSTMs. With Adam and tight clipping (the
 * Jay Chou runs) that made training take a visibly different path than the reference (perplexity 13 at epoch 50
 * where PyTorch has 34); with this init the two agree (257 vs 255 at epoch 10, 87 vs 79 at epoch 30).
 */
final class TorchInit {
    private TorchInit() {
    }

    /** Re-initialises the named layers' parameters in place, from a generator seeded with {@code seed}. */
    static void apply(ComputationGraph net, Map<String, Double> boundByLayer, long seed) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        boundByLayer.forEach((name, bound) -> {
            Layer layer = net.getLayer(name);
            // sorted keys: the draw order, and so the numbers, do not depend on a map's iteration order
            new java.util.TreeMap<>(layer.paramTable()).forEach((key, param) -> {
                INDArray values = Nd4j.createUninitialized(param.dataType(), param.shape(), param.ordering());
                Nd4j.getExecutioner().exec(new UniformDistribution(values, -bound, bound), rng);
                param.assign(values);
            });
        });
    }
}
