package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.d2l.rnn.TestArrays;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.models.ModelSpec;
import org.d2l.rnn.models.StatefulGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The float training path (direct BLAS, SIMD step math) against the double one (ND4J step math, which the gradient
 * checks verify) on whole two-layer models with the same parameters: outputs and every gradient agree to float precision.
 */
class KernelPrecisionTest {
    private static final int VOCAB = 7;
    private static final int HIDDEN = 2 * VectorStepMath.LANES;

    /** Every kind that runs on the fused kernels: all but the scratch (SameDiff) ones. */
    static java.util.stream.Stream<ModelKind> kernelKinds() {
        return java.util.Arrays.stream(ModelKind.values()).filter(k -> !k.scratch());
    }

    @ParameterizedTest
    @MethodSource("kernelKinds")
    void floatKernelsMatchTheDoubleReference(ModelKind kind) {
        floatMatchesDouble(kind, VOCAB);
    }

    /**
     * A vocabulary of at least {@link SequenceKernel#SPARSE_MIN_INPUTS} tokens: the float kernels' input projection
     * and its weight gradient take the one-hot row copies and row adds ({@link SparseRows}), the double ones sgemm.
     */
    @ParameterizedTest
    @EnumSource(value = ModelKind.class, names = {"RNN", "GRU_FUSED", "LSTM", "BI_LSTM"})
    void wideVocabulariesTakeTheOneHotRowsAndStillMatch(ModelKind kind) {
        long gathers = SparseRows.GATHERS.get();
        floatMatchesDouble(kind, SequenceKernel.SPARSE_MIN_INPUTS + 9);
        assertTrue(SparseRows.GATHERS.get() > gathers, "the float kernels took the one-hot rows");
    }

    private static void floatMatchesDouble(ModelKind kind, int vocab) {
        StatefulGraph single = LanguageModels.build(ModelSpec.of(kind, vocab, HIDDEN, 2), new NoOp(), 0, 3, DataType.FLOAT);
        StatefulGraph reference = LanguageModels.build(ModelSpec.of(kind, vocab, HIDDEN, 2), new NoOp(), 0, 3, DataType.DOUBLE);
        reference.setParams(single.params().castTo(DataType.DOUBLE));
        Random random = new Random(5);
        // 8 x 9 rows: at least SequenceKernel.SPARSE_MIN_ROWS, so that wide vocabularies take the one-hot rows
        INDArray x = TestArrays.oneHot(random, 8, vocab, 9, DataType.DOUBLE);
        INDArray y = TestArrays.oneHot(random, 8, vocab, 9, DataType.DOUBLE);

        double outputDiff = single.outputSingle(x.castTo(DataType.FLOAT)).castTo(DataType.DOUBLE)
                .sub(reference.outputSingle(x)).amaxNumber().doubleValue();
        assertTrue(outputDiff < 1e-5, kind + " output differs by " + outputDiff);

        INDArray floatGradient = gradient(single, x.castTo(DataType.FLOAT), y.castTo(DataType.FLOAT)).castTo(DataType.DOUBLE);
        INDArray doubleGradient = gradient(reference, x, y);
        double scale = doubleGradient.amaxNumber().doubleValue();
        double gradientDiff = floatGradient.sub(doubleGradient).amaxNumber().doubleValue() / scale;
        assertTrue(scale > 1e-3 && gradientDiff < 1e-4, kind + " gradient differs by " + gradientDiff + " of " + scale);
    }

    private static INDArray gradient(StatefulGraph net, INDArray x, INDArray y) {
        net.setInputs(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        return net.getGradientsViewArray().dup();
    }
}
