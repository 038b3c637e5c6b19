package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.d2l.rnn.TestArrays;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.models.ModelSpec;
import org.d2l.rnn.models.StatefulGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * A pass split into two halves of the batch on two threads ({@link SequenceKernel#forEachPart}), with the one-hot rows'
 * copies and adds and the bias gradients' column sums in halves too ({@link SequenceKernel#splitting}), gives exactly
 * the numbers of the same pass on one thread: every row and column gets the same operations in the same order. Bit for bit, so any
 * row the split left out or computed twice, or a half that read the other's scratch, would show.
 */
class BatchSplitTest {
    /** Wide enough for the one-hot rows' own path (row copies and adds, split in halves too). */
    private static final int VOCAB = 28;
    @AfterEach
    void restore() {
        SequenceKernel.stepThreads = 0;
    }

    @ParameterizedTest
    @CsvSource({"LSTM, 1, 32", "LSTM, 2, 32", "LSTM, 1, 37", "BI_LSTM, 1, 40", "RNN, 1, 32", "RNN, 2, 37", "GRU_FUSED, 1, 32",
        "GRU_FUSED, 2, 37", "BI_GRU, 1, 40"})
    void twoThreadsGiveTheNumbersOfOne(ModelKind kind, int layers, int batch) {
        assumeTrue(PackedGemm.available(), "the split needs the packed loop (16 float lanes, AVX-512)");
        StatefulGraph net = LanguageModels.build(ModelSpec.of(kind, VOCAB, 128, layers), new NoOp(), 0, 3, DataType.FLOAT);
        Random random = new Random(5);
        INDArray x = TestArrays.oneHot(random, batch, VOCAB, 12, DataType.FLOAT);
        INDArray y = TestArrays.oneHot(random, batch, VOCAB, 12, DataType.FLOAT);
        SequenceKernel.stepThreads = 1;
        long before = SequenceKernel.SPLIT_PASSES.get();
        double score = score(net, x, y);
        INDArray gradient = net.getGradientsViewArray().dup();
        INDArray output = net.outputSingle(x).dup();
        assertEquals(before, SequenceKernel.SPLIT_PASSES.get(), "one thread: no split");
        // other numbers in the kernels' reused buffers, so that a row the split skipped shows
        score(net, TestArrays.oneHot(random, batch, VOCAB, 12, DataType.FLOAT), TestArrays.oneHot(random, batch, VOCAB, 12,
                DataType.FLOAT));

        SequenceKernel.stepThreads = 2;
        long gathers = SparseRows.GATHERS.get();
        double splitScore = score(net, x, y);
        INDArray splitGradient = net.getGradientsViewArray().dup();
        INDArray splitOutput = net.outputSingle(x).dup();
        long splits = SequenceKernel.SPLIT_PASSES.get() - before;
        // forward and backward of each layer (both directions of a bidirectional one), and the output pass's forwards
        long kernels = (long) layers * (kind.bidirectional() ? 2 : 1);
        assertEquals(3 * kernels, splits, "passes that ran split");
        assertTrue(SparseRows.GATHERS.get() > gathers, "the one-hot rows' path ran");
        assertEquals(score, splitScore, 0.0, "score");
        assertEquals(0.0, gradient.sub(splitGradient).amaxNumber().doubleValue(), 0.0, "gradients");
        assertEquals(0.0, output.sub(splitOutput).amaxNumber().doubleValue(), 0.0, "outputs");
        assertTrue(gradient.amaxNumber().doubleValue() > 1e-4, "gradients that are not all zero");
    }

    private static double score(StatefulGraph net, INDArray x, INDArray y) {
        net.setInputs(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        return net.score();
    }
}
