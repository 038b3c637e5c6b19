package org.d2l.rnn.seq2seq;

import static org.d2l.rnn.seq2seq.TinyModels.maxAbsDiff;
import static org.d2l.rnn.seq2seq.TinyModels.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.d2l.rnn.DoublePrecision;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

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

    private INDArray gradient(ComputationGraph net) {
        net.setInputs(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.setLayerMaskArrays(batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays());
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
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
