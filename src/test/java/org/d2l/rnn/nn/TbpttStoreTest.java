package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.models.ModelSpec;
import org.d2l.rnn.models.StatefulGraph;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The end states that truncated BPTT carries to the next minibatch are stored in two arrays per state, used in turn
 * ({@link RecurrentStates.TbpttStore}), not in a new array per minibatch whose native memory waits for a garbage
 * collection; and training from them gives the same numbers as from fresh copies.
 */
class TbpttStoreTest {
    private static final int BATCH = 4;
    private static final int STEPS = 5;

    @ParameterizedTest
    @EnumSource(value = ModelKind.class, names = {"RNN", "GRU", "LSTM", "GRU_SCRATCH", "LSTM_SCRATCH"})
    void carriedStatesLiveInTwoArraysAndTrainAsFreshCopies(ModelKind kind) {
        assertArraysAndScores(kind, false, 2);
    }

    /** Random sampling clears the state before every minibatch: then one array per state serves every minibatch. */
    @ParameterizedTest
    @EnumSource(value = ModelKind.class, names = {"LSTM", "LSTM_SCRATCH"})
    void clearedStatesLiveInOneArrayEach(ModelKind kind) {
        assertArraysAndScores(kind, true, 1);
    }

    private static void assertArraysAndScores(ModelKind kind, boolean clearEachTime, int arraysPerState) {
        StatefulGraph reused = net(kind);
        StatefulGraph copied = net(kind);
        Set<INDArray> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
        int states = 0;
        for (int i = 0; i < 8; i++) {
            DataSet batch = new DataSet(TestNets.oneHot(BATCH, STEPS, DataType.FLOAT, 2 * i),
                    TestNets.oneHot(BATCH, STEPS, DataType.FLOAT, 2 * i + 1));
            if (clearEachTime) {
                reused.resetState();
                copied.resetState();
            }
            reused.fit(batch);
            copied.fit(batch);
            copied.setCarriedState(copied.carriedState()); // fresh copies: nothing for the store to reuse
            assertEquals(copied.score(), reused.score(), 1e-6, kind + ", minibatch " + i);
            // StatefulGraph points the rnnTimeStep state at the stored TBPTT arrays themselves after every fit
            Map<String, INDArray> state = ((RecurrentLayer) reused.getLayer("rnn1")).rnnGetPreviousState();
            assertFalse(state.isEmpty());
            states = state.size();
            arrays.addAll(state.values());
        }
        assertEquals(arraysPerState * states, arrays.size(), kind + ": arrays that held the stored states over 8 minibatches");
    }

    private static StatefulGraph net(ModelKind kind) {
        StatefulGraph net = LanguageModels.build(ModelSpec.of(kind, TestNets.VOCAB, 8, 1), new Sgd(0.5), STEPS, 3);
        net.setCarryState(true);
        return net;
    }
}
