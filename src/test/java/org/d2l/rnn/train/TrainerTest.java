package org.d2l.rnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.d2l.rnn.TestData;
import org.d2l.rnn.datavec.LanguageModelIterator;
import org.d2l.rnn.datavec.Partitioning;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.models.ModelSpec;
import org.d2l.rnn.models.StatefulGraph;
import org.d2l.rnn.text.Corpus;
import org.d2l.rnn.text.CorpusRecipes;
import org.d2l.rnn.text.Tokenizer;
import org.d2l.rnn.DoublePrecision;
import org.d2l.rnn.TestArrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

class TrainerTest extends DoublePrecision {
    private static StatefulGraph tinyLstm(int layers, double lr) {
        return LanguageModels.build(ModelSpec.of(ModelKind.LSTM, 5, 6, layers), new Sgd(lr), 4, 3, DataType.DOUBLE);
    }

    @Test
    void carryingTheStateAcrossMinibatchesEqualsTruncatedBpttOverTheJoinedSequence() {
        Random r = new Random(1);
        INDArray x = TestArrays.oneHot(r, 3, 5, 8, DataType.DOUBLE);
        INDArray y = TestArrays.oneHot(r, 3, 5, 8, DataType.DOUBLE);
        var first = new DataSet(x.get(all(), all(), interval(0, 4)).dup(), y.get(all(), all(), interval(0, 4)).dup());
        var second = new DataSet(x.get(all(), all(), interval(4, 8)).dup(), y.get(all(), all(), interval(4, 8)).dup());

        StatefulGraph joined = tinyLstm(1, 0.5);
        joined.addListeners(new GradientNormalizer(4, 0));
        joined.fit(new DataSet(x, y)); // DL4J's TBPTT: segment 2 starts from segment 1's state, detached

        StatefulGraph carried = tinyLstm(1, 0.5);
        carried.addListeners(new GradientNormalizer(4, 0));
        carried.setCarryState(true);
        carried.fit(first);
        carried.fit(second);
        assertEquals(0.0, joined.params().sub(carried.params()).amaxNumber().doubleValue(), 1e-12);

        StatefulGraph fresh = tinyLstm(1, 0.5);
        fresh.addListeners(new GradientNormalizer(4, 0));
        fresh.fit(first);
        fresh.fit(second); // carryState off: the second minibatch starts from zero
        assertNotEquals(0.0, joined.params().sub(fresh.params()).amaxNumber().doubleValue(), 1e-9);

        StatefulGraph reset = tinyLstm(1, 0.5);
        reset.addListeners(new GradientNormalizer(4, 0));
        reset.fit(first);
        reset.resetState();
        reset.fit(second);
        assertEquals(0.0, fresh.params().sub(reset.params()).amaxNumber().doubleValue(), 1e-12);
    }

    /**
     * Without detaching, minibatch k is the epoch so far with the loss on window k: its loss is the carried-state
     * loss (same forward pass), the first update equals the detached one, and later ones differ (the gradient now
     * reaches earlier windows).
     */
    @Test
    void undetachedMinibatchesKeepTheLossAndLengthenTheGradientPath() {
        Corpus c = CorpusRecipes.english("tm", TestData.text("time-machine"), Tokenizer.CHAR, 0, 2000);
        java.util.function.Supplier<LanguageModelIterator> data = () -> LanguageModelIterator.builder()
                .setCorpus(c.indices()).setVocabSize(c.vocab().size()).setBatchSize(4).setSteps(6)
                .optPartitioning(Partitioning.SEQUENTIAL).optRandomOffset(false).optSeed(3).build();
        java.util.function.BiFunction<Integer, Double, StatefulGraph> net = (tbptt, lr) -> LanguageModels.build(
                ModelSpec.of(ModelKind.LSTM, c.vocab().size(), 8, 1), new Sgd(lr), tbptt, 3, DataType.DOUBLE);

        // lr 0: both see the same parameters, so the losses of the first three minibatches must agree
        StatefulGraph carried = net.apply(6, 0.0);
        carried.setCarryState(true);
        StatefulGraph whole = net.apply(0, 0.0);
        TrainingData detached = TrainingData.of(data.get());
        TrainingData undetached = TrainingData.undetached(data.get());
        detached.reset();
        undetached.reset();
        for (int k = 0; k < 3; k++) {
            assertEquals(detached.fitNext(carried).crossEntropySum(), undetached.fitNext(whole).crossEntropySum(), 1e-9,
                    "minibatch " + k);
        }

        StatefulGraph a = net.apply(6, 0.5);
        a.setCarryState(true);
        StatefulGraph b = net.apply(0, 0.5);
        detached = TrainingData.of(data.get());
        undetached = TrainingData.undetached(data.get());
        detached.reset();
        undetached.reset();
        detached.fitNext(a);
        undetached.fitNext(b);
        assertEquals(0.0, a.params().sub(b.params()).amaxNumber().doubleValue(), 1e-12, "window 0: nothing earlier");
        detached.fitNext(a);
        undetached.fitNext(b);
        assertNotEquals(0.0, a.params().sub(b.params()).amaxNumber().doubleValue(), 1e-9,
                "window 1: the undetached gradient also flows into window 0");
    }

    @Test
    void clippingBoundsTheGlobalNormAcrossAllLayers() {
        Random r = new Random(2);
        var batch = new DataSet(TestArrays.oneHot(r, 4, 5, 4, DataType.DOUBLE), TestArrays.oneHot(r, 4, 5, 4, DataType.DOUBLE));
        double theta = 1e-3;
        StatefulGraph net = tinyLstm(2, 1.0); // lr 1: the update IS the clipped gradient
        GradientNormalizer clip = new GradientNormalizer(4, theta);
        net.addListeners(clip);
        INDArray before = net.params().dup();
        net.fit(batch);
        assertTrue(clip.lastNorm() > 10 * theta, "the raw gradient is far larger: " + clip.lastNorm());
        assertEquals(theta, net.params().sub(before).norm2Number().doubleValue(), 1e-12);

        StatefulGraph unclipped = tinyLstm(2, 1.0);
        unclipped.addListeners(new GradientNormalizer(4, 0));
        INDArray before2 = unclipped.params().dup();
        unclipped.fit(batch);
        assertEquals(clip.lastNorm(), unclipped.params().sub(before2).norm2Number().doubleValue(), 1e-9,
                "unclipped, the update norm is the per-token gradient norm");
    }

    @Test
    void perplexityFallsOnTheRealCorpusWithBothPartitionings() {
        Corpus c = CorpusRecipes.english("tm", TestData.text("time-machine"), Tokenizer.CHAR, 0, 3000);
        for (Partitioning p : Partitioning.values()) {
            LanguageModelIterator it = LanguageModelIterator.builder().setCorpus(c.indices()).setVocabSize(28)
                    .setBatchSize(8).setSteps(20).optPartitioning(p).optSeed(1).build();
            StatefulGraph net = LanguageModels.build(ModelSpec.of(ModelKind.LSTM, 28, 48, 1), new Adam(0.01), 20, 1);
            TrainingResult r = Trainer.builder().setNetwork(net).setData(TrainingData.of(it)).setEpochs(8).build().fit();
            double[] ppl = r.perplexityByEpoch();
            assertTrue(ppl[0] > 15, p + " starts near the vocabulary size: " + ppl[0]);
            assertTrue(ppl[7] < 0.6 * ppl[0] && ppl[7] < 12, p + " learns: " + java.util.Arrays.toString(ppl));
            assertTrue(r.tokensPerSec() > 0);
        }
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex all() {
        return org.nd4j.linalg.indexing.NDArrayIndex.all();
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex interval(int a, int b) {
        return org.nd4j.linalg.indexing.NDArrayIndex.interval(a, b);
    }
}
