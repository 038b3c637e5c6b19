package org.d2l.rnn.seq2seq;

import static org.d2l.rnn.seq2seq.TinyModels.maxAbsDiff;
import static org.d2l.rnn.seq2seq.TinyModels.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.DoublePrecision;
import org.d2l.rnn.nn.GateParams;
import org.d2l.rnn.nn.GruStack;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused decoder against its SameDiff definition: same function, same gradients for every parameter of the
 * graph (the encoder's and embeddings' gradients pass through the vertex's input gradients). Since the fused
 * graph passes the gradient check ({@link Seq2SeqGraphTest}), this also proves the reference's halving of M2.1's
 * doubled SameDiff gradients; a gradient check of the reference itself would take ~30 s here.
 */
class DecoderVertexTest extends DoublePrecision {
    private final MultiDataSet batch = TinyModels.batch(2);

    @Test
    void fusedEngineComputesTheSameFunctionAndGradientsAsTheSameDiffDefinition() {
        ComputationGraph fused = TinyModels.doubleNet(0, DecoderVertex.Engine.FUSED);
        ComputationGraph reference = TinyModels.doubleNet(0, DecoderVertex.Engine.SAMEDIFF);
        reference.setParams(fused.params());
        assertInstanceOf(FusedDecoderVertex.class, fused.getVertex(Seq2SeqGraph.DECODER));
        assertInstanceOf(SameDiffDecoderVertex.class, reference.getVertex(Seq2SeqGraph.DECODER));

        assertEquals(0, maxAbsDiff(output(fused, batch), output(reference, batch)), 1e-9);
        INDArray fusedGradient = gradient(fused);
        INDArray referenceGradient = gradient(reference);
        assertTrue(fusedGradient.amaxNumber().doubleValue() > 1e-3, "a vacuous comparison");
        assertEquals(0, maxAbsDiff(fusedGradient, referenceGradient), 1e-9);
    }

    /**
     * With dropout, both engines draw the same masks for the same seed (GruStack's order and layout), so a training
     * pass gives the same score and gradients; the next pass draws new masks; inference drops nothing.
     */
    @Test
    void bothEnginesDropTheSameUnitsForTheSameSeed() {
        ComputationGraph fused = TinyModels.doubleNet(0.5, DecoderVertex.Engine.FUSED);
        ComputationGraph reference = TinyModels.doubleNet(0.5, DecoderVertex.Engine.SAMEDIFF);
        ComputationGraph noDropout = TinyModels.doubleNet(0, DecoderVertex.Engine.SAMEDIFF);
        reference.setParams(fused.params());
        noDropout.setParams(fused.params());

        Nd4j.getRandom().setSeed(5);
        INDArray fusedGradient = gradient(fused);
        double fusedScore = fused.score();
        Nd4j.getRandom().setSeed(5);
        INDArray referenceGradient = gradient(reference);
        assertEquals(fusedScore, reference.score(), 1e-9);
        assertEquals(0, maxAbsDiff(fusedGradient, referenceGradient), 1e-9);
        assertTrue(maxAbsDiff(referenceGradient, gradient(noDropout)) > 1e-3, "the masks changed nothing");
        assertTrue(maxAbsDiff(referenceGradient, gradient(reference)) > 1e-3, "the next pass kept the masks");
        assertEquals(0, maxAbsDiff(output(fused, batch), output(reference, batch)), 1e-9);
        assertEquals(0, maxAbsDiff(output(noDropout, batch), output(reference, batch)), 1e-9);
    }

    private INDArray gradient(ComputationGraph net) {
        net.setInputs(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.setLayerMaskArrays(batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays());
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
    }

    /**
     * The context read once per sequence (its gate terms computed once and added to every step) is d2l's input
     * concatenated with the context at every step: same outputs, parameter gradients, dL/dInput and dL/dContext.
     */
    @Test
    void theContextSplitEqualsTheConcatenatedInput() {
        int batchSize = 3;
        int embedding = 4;
        int hidden = 5;
        int steps = 6;
        Nd4j.getRandom().setSeed(11);
        INDArray embedded = Nd4j.rand(DataType.DOUBLE, batchSize, embedding, steps).subi(0.5);
        INDArray context = Nd4j.rand(DataType.DOUBLE, batchSize, hidden).subi(0.5);
        INDArray[] initial = {Nd4j.rand(DataType.DOUBLE, batchSize, hidden).subi(0.5), context};
        INDArray epsilon = Nd4j.rand(DataType.DOUBLE, batchSize, hidden, steps).subi(0.5);
        List<Map<String, INDArray>> params = new ArrayList<>();
        for (int l = 0; l < 2; l++) {
            long nIn = l == 0 ? embedding + hidden : hidden;
            Map<String, INDArray> layer = new LinkedHashMap<>();
            for (String key : GateParams.KEYS) {
                layer.put(key, Nd4j.rand(DataType.DOUBLE, GateParams.shape(key, nIn, hidden, 3)).subi(0.5));
            }
            params.add(layer);
        }

        GruStack concatenated = new GruStack(2, hidden, 0, DataType.DOUBLE);
        INDArray repeated = context.reshape(batchSize, hidden, 1).repeat(2, steps);
        INDArray expectedOutput = concatenated.forward(Nd4j.concat(1, embedded, repeated), initial, params, true)
                .dup();
        List<Map<String, INDArray>> expectedGradients = zerosLike(params);
        INDArray expectedInputGradient = concatenated.backward(epsilon, expectedGradients).dup();

        GruStack split = new GruStack(2, hidden, 0, DataType.DOUBLE);
        INDArray output = split.forward(embedded, context, initial, params, true);
        assertEquals(0, maxAbsDiff(expectedOutput, output), 1e-12);
        List<Map<String, INDArray>> gradients = zerosLike(params);
        INDArray inputGradient = split.backward(epsilon, gradients);
        assertEquals(0, maxAbsDiff(expectedInputGradient.get(all(), interval(0, embedding), all()), inputGradient),
                1e-12);
        assertEquals(0, maxAbsDiff(expectedInputGradient.get(all(), interval(embedding, embedding + hidden), all())
                .sum(2), split.contextGradient()), 1e-12);
        for (int l = 0; l < 2; l++) {
            assertEquals(0, maxAbsDiff(concatenated.initialStateGradient(l), split.initialStateGradient(l)), 1e-12);
            for (String key : GateParams.KEYS) {
                INDArray expected = expectedGradients.get(l).get(key);
                assertTrue(expected.amaxNumber().doubleValue() > 1e-3, "a vacuous comparison");
                assertEquals(0, maxAbsDiff(expected, gradients.get(l).get(key)), 1e-12, key + l);
            }
        }
    }

    private static List<Map<String, INDArray>> zerosLike(List<Map<String, INDArray>> params) {
        List<Map<String, INDArray>> zeros = new ArrayList<>();
        for (Map<String, INDArray> layer : params) {
            Map<String, INDArray> z = new LinkedHashMap<>();
            layer.forEach((key, value) -> z.put(key, Nd4j.zeros(value.dataType(), value.shape())));
            zeros.add(z);
        }
        return zeros;
    }

    /** The unrolled graph bakes in batch size and length; the reference rebuilds it when they change. */
    @Test
    void sameDiffReferenceFollowsTheInputShape() {
        ComputationGraph fused = TinyModels.doubleNet(0, DecoderVertex.Engine.FUSED);
        ComputationGraph reference = TinyModels.doubleNet(0, DecoderVertex.Engine.SAMEDIFF);
        reference.setParams(fused.params());
        output(reference, batch);
        MultiDataSet otherShape = TinyModels.Pairs.random(3, 3, new int[]{3, 1}, new int[]{2, 3})
                .batch(DataType.DOUBLE);
        assertEquals(0, maxAbsDiff(output(fused, otherShape), output(reference, otherShape)), 1e-9);
    }
}
