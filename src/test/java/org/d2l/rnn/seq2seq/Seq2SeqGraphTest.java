package org.d2l.rnn.seq2seq;

import static org.d2l.rnn.seq2seq.TinyModels.maxAbsDiff;
import static org.d2l.rnn.seq2seq.TinyModels.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.d2l.rnn.DoublePrecision;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The whole training graph: gradients with padding masks and dropout, padding, serialisation. */
class Seq2SeqGraphTest extends DoublePrecision {
    private final TinyModels.Pairs pairs = TinyModels.Pairs.random(1);
    private final MultiDataSet batch = pairs.batch(DataType.DOUBLE);

    @Test
    void passesTheGradientCheckWithPaddingMasks() {
        ComputationGraph net = TinyModels.doubleNet(0, DecoderVertex.Engine.FUSED);
        assertTrue(TinyModels.gradientsMatchFiniteDifferences(net, batch));
    }

    /**
     * The check resets the RNG before every pass, so each pass draws the same dropout masks and the check stays
     * exact with d2l's dropout. A sample of each parameter array: the full check above covers the rest. Both
     * decoder engines: the SameDiff one's masks come in through a placeholder, not through its autodiff.
     */
    @ParameterizedTest
    @EnumSource(DecoderVertex.Engine.class)
    void passesTheGradientCheckWithDropout(DecoderVertex.Engine engine) {
        ComputationGraph net = TinyModels.doubleNet(0.1, engine);
        assertTrue(GradientCheckUtil.checkGradients(TinyModels.check(net, batch).subset(true).maxPerParam(6)));
    }

    @ParameterizedTest
    @EnumSource(DecoderVertex.Engine.class)
    void dropoutIsOnlyAppliedInTraining(DecoderVertex.Engine engine) {
        ComputationGraph withDropout = TinyModels.doubleNet(0.5, engine);
        ComputationGraph without = TinyModels.doubleNet(0, engine);
        without.setParams(withDropout.params());
        assertEquals(0, maxAbsDiff(output(withDropout, batch), output(without, batch)), 1e-12);
        withDropout.setInputs(batch.getFeatures());
        withDropout.setLayerMaskArrays(batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays());
        assertTrue(maxAbsDiff(withDropout.feedForward(true).get(Seq2SeqGraph.OUTPUT), output(without, batch)) > 1e-3);
    }

    @Test
    void outputsDoNotDependOnTheTokensInPaddedSourcePositions() {
        ComputationGraph net = TinyModels.doubleNet(0, DecoderVertex.Engine.FUSED);
        INDArray source = batch.getFeatures(0).dup();
        INDArray sourceMask = batch.getFeaturesMaskArray(0);
        for (int i = 0; i < source.size(0); i++) {
            for (int t = 0; t < source.size(2); t++) {
                if (sourceMask.getDouble(i, t) == 0) {
                    source.putScalar(i, 0, t, TinyModels.VOCAB - 1);
                }
            }
        }
        MultiDataSet otherPadding = new MultiDataSet(new INDArray[]{source, batch.getFeatures(1)},
                batch.getLabels(), batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays());
        assertTrue(maxAbsDiff(batch.getFeatures(0), source) > 0);
        assertEquals(0, maxAbsDiff(output(net, batch), output(net, otherPadding)), 1e-12);
    }

    /** A padded row translates exactly like the same sentence alone without padding. */
    @Test
    void theEncoderStateIsTakenAtTheTrueLength() {
        ComputationGraph net = TinyModels.doubleNet(0, DecoderVertex.Engine.FUSED);
        int row = 1;
        int length = pairs.sourceLengths()[row];
        TinyModels.Pairs alone = new TinyModels.Pairs(new int[][]{Arrays.copyOf(pairs.source()[row], length)},
                new int[]{length}, new int[][]{pairs.target()[row]}, new int[]{pairs.targetLengths()[row]});
        INDArray padded = output(net, batch).get(NDArrayIndex.point(row), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray unpadded = output(net, alone.batch(DataType.DOUBLE)).get(NDArrayIndex.point(0), NDArrayIndex.all(),
                NDArrayIndex.all());
        assertEquals(0, maxAbsDiff(padded, unpadded), 1e-12);
    }

    @Test
    void survivesModelSerializer(@TempDir Path directory) throws IOException {
        ComputationGraph net = TinyModels.doubleNet(0.1, DecoderVertex.Engine.FUSED);
        File file = directory.resolve("seq2seq.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(net.params(), restored.params());
        assertEquals(net.getConfiguration().getVertices().get(Seq2SeqGraph.DECODER),
                restored.getConfiguration().getVertices().get(Seq2SeqGraph.DECODER));
        assertInstanceOf(FusedDecoderVertex.class, restored.getVertex(Seq2SeqGraph.DECODER));
        assertEquals(0, maxAbsDiff(output(net, batch), output(restored, batch)), 1e-12);
    }
}
