package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.models.ModelSpec;
import org.d2l.rnn.models.StatefulGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * One-row steps in an {@link InferenceSession} (what generation runs) against the same steps outside one: the same
 * probabilities to float rounding (the packed loop and the one-hot row copies against sgemm), the weights packed once
 * per session and not carried into the next one, and the stored state written in place only in arrays the session
 * made.
 */
class InferenceSessionTest {
    private static final int VOCAB = 28;
    private static final int STEPS = 20;

    /** Float nets of the Time Machine's width: one-hot input wide enough for the row copies, weights for packing. */
    private static StatefulGraph net(ModelKind kind, int layers) {
        return LanguageModels.build(ModelSpec.of(kind, VOCAB, 128, layers), new Sgd(1.0), 5, 7);
    }

    private static INDArray token(int t) {
        INDArray x = Nd4j.create(DataType.FLOAT, 1, VOCAB, 1);
        x.putScalar(new long[]{0, t % VOCAB, 0}, 1.0);
        return x;
    }

    /** A prefix of 6 steps, then {@link #STEPS} one-step calls; the probabilities of every call, copied. */
    private static List<INDArray> run(StatefulGraph net) {
        net.rnnClearPreviousState();
        List<INDArray> out = new ArrayList<>();
        INDArray prefix = Nd4j.create(DataType.FLOAT, 1, VOCAB, 6);
        for (int t = 0; t < 6; t++) {
            prefix.putScalar(new long[]{0, (3 * t) % VOCAB, t}, 1.0);
        }
        out.add(net.rnnTimeStep(prefix)[0].dup());
        INDArray step = token(0);
        for (int i = 0; i < STEPS; i++) {
            step.assign(token(5 * i + 1)); // the same array every step, as Generator passes it
            out.add(net.rnnTimeStep(step)[0].dup());
        }
        return out;
    }

    private static void assertClose(List<INDArray> expected, List<INDArray> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            double diff = expected.get(i).sub(actual.get(i)).amaxNumber().doubleValue();
            assertTrue(diff < 2e-6, "call " + i + ": probabilities differ by " + diff);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ModelKind.class, names = {"RNN", "GRU", "GRU_FUSED", "LSTM"})
    void stepsInASessionGiveTheProbabilitiesOfStepsOutsideOne(ModelKind kind) {
        StatefulGraph net = net(kind, 2);
        List<INDArray> plain = run(net);
        long packings = PackedGemm.PACKINGS.get();
        long gathers = SparseRows.GATHERS.get();
        List<INDArray> session;
        try (InferenceSession ignored = InferenceSession.open()) {
            session = run(net);
        }
        assertClose(plain, session);
        if (PackedGemm.available()) {
            // per layer and recurrent matrix one packing for the prefix's shape and one for the one-step shape, not
            // one per step; the fused GRU has two recurrent matrices, the SameDiff GRU's plan packs one
            int matrices = kind == ModelKind.GRU_FUSED ? 2 : 1;
            assertEquals(2L * 2 * matrices, PackedGemm.PACKINGS.get() - packings);
            assertTrue(SparseRows.GATHERS.get() - gathers >= STEPS, "the one-hot rows of the one-step calls");
        }
    }

    @Test
    void aLaterSessionSeesWeightsChangedAfterTheLastOne() {
        StatefulGraph net = net(ModelKind.LSTM, 1);
        try (InferenceSession ignored = InferenceSession.open()) {
            run(net);
        }
        net.params().muli(1.5); // what training between two generations does, in place
        List<INDArray> plain = run(net);
        try (InferenceSession ignored = InferenceSession.open()) {
            assertClose(plain, run(net));
        }
    }

    @Test
    void theStateIsWrittenInPlaceOnlyInArraysTheSessionMade() {
        StatefulGraph net = net(ModelKind.LSTM, 1);
        net.rnnTimeStep(token(1));
        Map<String, INDArray> before = net.rnnGetPreviousState("rnn1");
        assertTrue(before != null && !before.isEmpty(), "a stored state, keys " + net.rnnGetPreviousStates().keySet());
        Map<String, INDArray> kept = new java.util.HashMap<>();
        before.forEach((k, v) -> kept.put(k, v.dup()));
        try (InferenceSession ignored = InferenceSession.open()) {
            net.rnnTimeStep(token(2));
            Map<String, INDArray> first = net.rnnGetPreviousState("rnn1");
            net.rnnTimeStep(token(3));
            Map<String, INDArray> second = net.rnnGetPreviousState("rnn1");
            for (String k : kept.keySet()) {
                assertEquals(kept.get(k), before.get(k), "an array stored before the session is never overwritten");
                assertNotSame(before.get(k), first.get(k));
                assertSame(first.get(k), second.get(k), "later steps of a session write into the session's array");
            }
        }
        net.rnnTimeStep(token(4));
        for (String k : kept.keySet()) {
            assertNotSame(before.get(k), net.rnnGetPreviousState("rnn1").get(k));
        }
    }

    @Test
    void sessionsCloseInnermostFirst() {
        InferenceSession outer = InferenceSession.open();
        InferenceSession inner = InferenceSession.open();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        assertEquals(outer, InferenceSession.current());
        outer.close();
        assertEquals(0, InferenceSession.currentId());
    }
}
