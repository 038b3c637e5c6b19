package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Random;
import org.d2l.rnn.TestArrays;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.models.ModelSpec;
import org.d2l.rnn.models.StatefulGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The packed recurrent product against ND4J's matmul in double precision, for the layouts the kernels hand it (DL4J's
 * 'f' weights, their transposes, column blocks of a wider matrix, row blocks of a step buffer), with and without
 * accumulation and with rows left over after the 8-row blocks; and whole LSTMs with and without it.
 */
class PackedGemmTest {
    @AfterEach
    void restore() {
        PackedGemm.enabled = true;
    }

    /** op(b) [k, n] in one of four layouts: 'f', 'c', a column block of a wider 'f' matrix, or 'c' transposed. */
    private static INDArray weights(int kind, int k, int n, boolean transB) {
        int rows = transB ? n : k;
        int cols = transB ? k : n;
        Nd4j.getRandom().setSeed(kind * 31L + k + n);
        return switch (kind) {
            case 0 -> Nd4j.rand(DataType.FLOAT, rows, cols).subi(0.5).dup('f');
            case 1 -> Nd4j.rand(DataType.FLOAT, rows, cols).subi(0.5);
            case 2 -> Nd4j.rand(DataType.FLOAT, rows, cols + 64).subi(0.5).dup('f').get(all(), interval(32, cols + 32));
            default -> Nd4j.rand(DataType.FLOAT, rows + 5, cols).subi(0.5).get(interval(3, rows + 3), all());
        };
    }

    @Test
    void matchesADoublePrecisionProductForEveryLayout() {
        assumeTrue(PackedGemm.available(), "the packed loop needs 16 float lanes (AVX-512)");
        PackedGemm packed = new PackedGemm(new HostBuffers());
        for (int kind = 0; kind < 4; kind++) {
            for (boolean transB : new boolean[]{false, true}) {
                for (int m : new int[]{32, 37, 3}) {
                    for (boolean accumulate : new boolean[]{false, true}) {
                        int k = 136;
                        int n = 128;
                        INDArray b = weights(kind, k, n, transB);
                        // a and c as row blocks of larger time-major buffers, as a step's rows are
                        INDArray a = Nd4j.rand(DataType.FLOAT, 3 * m, k).subi(0.5).get(interval(m, 2 * m), all());
                        INDArray c = Nd4j.rand(DataType.FLOAT, 2 * m, n).subi(0.5).get(interval(m, 2 * m), all());
                        INDArray expected = Nd4j.gemm(a.castTo(DataType.DOUBLE), b.castTo(DataType.DOUBLE), false,
                                transB);
                        if (accumulate) {
                            expected.addi(c.castTo(DataType.DOUBLE));
                        }
                        assertTrue(packed.packs(b, transB, 100, m));
                        assertTrue(packed.multiply(a, c, accumulate));
                        String what = "kind " + kind + " transB " + transB + " m " + m + " accumulate " + accumulate;
                        assertEquals(0, expected.sub(c.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), 1e-5, what);
                    }
                }
            }
        }
    }

    @Test
    void refusesWhatItCannotDoOrWhatWouldNotPay() {
        PackedGemm packed = new PackedGemm(new HostBuffers());
        INDArray b = Nd4j.rand(DataType.FLOAT, 136, 128);
        assertFalse(packed.packs(Nd4j.rand(DataType.FLOAT, 136, 144), false, 100, 32), "144 columns: not whole panels");
        assertFalse(packed.packs(Nd4j.rand(DataType.FLOAT, 32, 64), false, 100, 32), "too small to pay");
        assertFalse(packed.packs(b.castTo(DataType.DOUBLE), false, 100, 32), "double");
        assertFalse(packed.packs(b, false, 1, 1), "generation's single row");
        assertFalse(packed.multiply(Nd4j.rand(DataType.FLOAT, 4, 136), Nd4j.rand(DataType.FLOAT, 4, 128), false),
                "nothing packed");
        if (PackedGemm.available()) {
            assertTrue(packed.packs(b, false, 100, 32));
            assertFalse(packed.multiply(Nd4j.rand(DataType.FLOAT, 4, 137), Nd4j.rand(DataType.FLOAT, 4, 128), false),
                    "wrong inner size");
            assertFalse(packed.multiply(Nd4j.rand(DataType.FLOAT, 136, 4).transpose(), Nd4j.rand(DataType.FLOAT, 4, 128),
                    false), "a without unit column stride");
        }
        PackedGemm.enabled = false;
        assertFalse(packed.packs(b, false, 100, 32), "switched off");
    }

    /**
     * Whole models on each fused kernel that packs (one and two layers, enough rows to pack) with and without the
     * packed loop: float rounding apart.
     */
    @ParameterizedTest
    @EnumSource(value = ModelKind.class, names = {"RNN", "GRU_FUSED", "LSTM"})
    void gradientsAreTheBlasOnes(ModelKind kind) {
        assumeTrue(PackedGemm.available(), "the packed loop needs 16 float lanes (AVX-512)");
        for (int layers = 1; layers <= 2; layers++) {
            StatefulGraph net = LanguageModels.build(ModelSpec.of(kind, 7, 128, layers), new NoOp(), 0, 3,
                    DataType.FLOAT);
            Random random = new Random(9);
            INDArray x = TestArrays.oneHot(random, 32, 7, 12, DataType.FLOAT);
            INDArray y = TestArrays.oneHot(random, 32, 7, 12, DataType.FLOAT);
            INDArray packedGradient = gradient(net, x, y);
            PackedGemm.enabled = false;
            INDArray blasGradient = gradient(net, x, y);
            PackedGemm.enabled = true;
            double scale = blasGradient.amaxNumber().doubleValue();
            double diff = packedGradient.sub(blasGradient).amaxNumber().doubleValue() / scale;
            assertTrue(scale > 1e-3 && diff < 1e-5 && diff > 0, kind + ", " + layers + " layers: gradients differ by " + diff
                    + " of " + scale + " (0 would mean the packed loop did not run)");
        }
    }

    private static INDArray gradient(StatefulGraph net, INDArray x, INDArray y) {
        net.setInputs(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        return net.getGradientsViewArray().dup();
    }
}
