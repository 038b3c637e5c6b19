package org.d2l.rnn.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.d2l.rnn.DoublePrecision;
import org.d2l.rnn.nn.FusedEmbeddingSequence;
import org.d2l.rnn.nn.FusedEmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * The seq2seq graph's {@link FusedEmbeddingSequence} computes what DL4J's {@link EmbeddingSequenceLayer} computes
 * (padding masks included), and graphs saved with DL4J's layer still load and run.
 */
class FusedEmbeddingTest extends DoublePrecision {
    private static final String[] EMBEDDINGS = {Seq2SeqGraph.SOURCE_EMBEDDING, Seq2SeqGraph.TARGET_EMBEDDING};

    /** The same graph and parameters with DL4J's own embedding layers, as models saved before had them. */
    static ComputationGraph withStockEmbeddings(ComputationGraph net) {
        ComputationGraph copy = new ComputationGraph(net.getConfiguration().clone());
        for (String name : EMBEDDINGS) {
            LayerVertex vertex = (LayerVertex) copy.getConfiguration().getVertices().get(name);
            FusedEmbeddingSequence fused = (FusedEmbeddingSequence) vertex.getLayerConf().getLayer();
            EmbeddingSequenceLayer stock = new EmbeddingSequenceLayer.Builder().nIn(fused.getNIn())
                    .nOut(fused.getNOut()).hasBias(false).build();
            stock.setLayerName(name);
            stock.setInputLength(fused.getInputLength());
            stock.setInferInputLength(fused.isInferInputLength());
            stock.setIUpdater(fused.getIUpdater());
            vertex.getLayerConf().setLayer(stock);
        }
        copy.init(net.params().dup(), false);
        return copy;
    }

    private static INDArray gradient(ComputationGraph net, MultiDataSet batch) {
        net.setInputs(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.setLayerMaskArrays(batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays());
        net.computeGradientAndScore();
        return net.getGradientsViewArray().dup();
    }

    @Test
    void sameOutputScoreAndGradientsAsDl4jsEmbeddingLayer() {
        ComputationGraph fused = TinyModels.doubleNet(0, DecoderVertex.Engine.FUSED);
        assertInstanceOf(FusedEmbeddingSequenceLayer.class, fused.getLayer(Seq2SeqGraph.SOURCE_EMBEDDING));
        ComputationGraph stock = withStockEmbeddings(fused);
        assertTrue(!(stock.getLayer(Seq2SeqGraph.SOURCE_EMBEDDING) instanceof FusedEmbeddingSequenceLayer));
        MultiDataSet batch = TinyModels.batch(3);

        assertTrue(TinyModels.maxAbsDiff(TinyModels.output(stock, batch), TinyModels.output(fused, batch)) < 1e-12);
        INDArray expected = gradient(stock, batch);
        INDArray actual = gradient(fused, batch);
        assertEquals(stock.score(), fused.score(), 1e-12);
        for (String name : EMBEDDINGS) {
            INDArray stockGradient = stock.getLayer(name).getGradientsViewArray();
            assertTrue(stockGradient.amaxNumber().doubleValue() > 1e-4, name + " has a gradient to compare");
        }
        assertTrue(TinyModels.maxAbsDiff(expected, actual) < 1e-12,
                "gradients differ by " + TinyModels.maxAbsDiff(expected, actual));
    }

    @Test
    void passesTheGradientCheckWithPaddingMasks() {
        assertTrue(TinyModels.gradientsMatchFiniteDifferences(TinyModels.doubleNet(0, DecoderVertex.Engine.FUSED),
                TinyModels.batch(5)));
    }

    @Test
    void aModelSavedWithDl4jsEmbeddingLayerStillLoads(@TempDir Path directory) throws IOException {
        ComputationGraph stock = withStockEmbeddings(TinyModels.doubleNet(0, DecoderVertex.Engine.FUSED));
        File zip = directory.resolve("old.zip").toFile();
        ModelSerializer.writeModel(stock, zip, true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(zip, true);
        assertEquals(org.deeplearning4j.nn.layers.feedforward.embedding.EmbeddingSequenceLayer.class,
                loaded.getLayer(Seq2SeqGraph.TARGET_EMBEDDING).getClass());
        MultiDataSet batch = TinyModels.batch(4);
        assertTrue(TinyModels.maxAbsDiff(TinyModels.output(stock, batch), TinyModels.output(loaded, batch)) < 1e-12);
        // and the inference model reads its embeddings as before
        Seq2SeqGraph.inferenceModel(loaded, ContextMode.ENCODER);
    }

    @Test
    void theFusedLayerSurvivesTheZip(@TempDir Path directory) throws IOException {
        ComputationGraph fused = TinyModels.doubleNet(0, DecoderVertex.Engine.FUSED);
        File zip = directory.resolve("new.zip").toFile();
        ModelSerializer.writeModel(fused, zip, true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(zip, true);
        assertInstanceOf(FusedEmbeddingSequenceLayer.class, loaded.getLayer(Seq2SeqGraph.SOURCE_EMBEDDING));
        MultiDataSet batch = TinyModels.batch(4);
        assertEquals(0, TinyModels.maxAbsDiff(TinyModels.output(fused, batch), TinyModels.output(loaded, batch)));
    }
}
