package org.d2l.rnn.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.d2l.rnn.datavec.LanguageModelIterator;
import org.d2l.rnn.datavec.Partitioning;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.models.ModelSpec;
import org.d2l.rnn.models.StatefulGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The undetached path (d2l 8.5's exercise) must not keep what earlier epochs allocated: minibatch k fits the k + 1
 * windows of the epoch so far, a new shape every minibatch, so each one makes new kernel buffers and joined arrays.
 * Before they were freed deterministically, ND4J kept them until the garbage collector found their small Java
 * objects — with a roomy heap that was never, and this run grew by ~60 MiB an epoch outside the heap.
 */
class UndetachedMemoryTest {
    private static final int VOCAB = 28;
    /** Loose: one epoch of this model's garbage is ~60 MiB, so 10 epochs of a leak are ~600 MiB. */
    private static final double BOUND_MIB = 150;

    @Test
    void outsideHeapMemoryStaysFlatOverTenUndetachedEpochs() {
        Random r = new Random(7);
        int[] corpus = new int[6000];
        for (int i = 0; i < corpus.length; i++) {
            corpus[i] = r.nextInt(VOCAB);
        }
        LanguageModelIterator it = LanguageModelIterator.builder().setCorpus(corpus).setVocabSize(VOCAB)
                .setBatchSize(32).setSteps(35).optPartitioning(Partitioning.SEQUENTIAL).optSeed(3).build();
        StatefulGraph net = LanguageModels.build(ModelSpec.of(ModelKind.RNN, VOCAB, 256, 1), new Sgd(1), 0, 3);
        // two warm-up epochs, then ten measured. The first epochs carry one-time growth: DL4J's workspaces size
        // themselves to the longest joined sequence, and G1 commits heap pages it touches later (which moves the
        // resident-minus-heap figure). Once, on a busy machine, the second epoch alone added 158 MiB and every
        // later one under 1 MiB; the old leak added ~150 MiB in every epoch.
        TrainingResult result = Trainer.builder().setNetwork(net).setData(TrainingData.undetached(it)).setEpochs(12)
                .optTaskName("undetached memory").build().fit();
        double[] outside = result.outsideHeapMibByEpoch();
        double growth = Arrays.stream(outside, 2, outside.length).max().orElseThrow() - outside[1];
        assertTrue(growth < BOUND_MIB, String.format("outside-heap memory grew %.0f MiB over 10 undetached epochs "
                + "(bound %.0f): %s", growth, BOUND_MIB, Arrays.toString(Arrays.stream(outside).map(Math::rint).toArray())));
    }
}
