package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SIMD step math against the ND4J-op reference (which the double-precision gradient checks cover), op by op,
 * on the kinds of views the kernels pass: row blocks at an offset and gate-column blocks with a wider row stride.
 */
class StepMathTest {
    private static final int BATCH = 3;
    private static final int HIDDEN = 2 * VectorStepMath.LANES;
    private static final double TOLERANCE = 1e-6;

    /** A [rows, cols] view at a non-zero offset inside a wider buffer, values in (-3, 3). */
    private static INDArray view(int rows, int cols, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray parent = Nd4j.rand(DataType.FLOAT, rows + 2, cols + 5).subi(0.5).muli(6);
        return parent.get(interval(1, rows + 1), interval(3, cols + 3));
    }

    /** Runs {@code op} on copies of the same views with both implementations and compares every array. */
    private static void agree(int[][] shapes, java.util.function.BiConsumer<StepMath, INDArray[]> op) {
        INDArray[] vector = new INDArray[shapes.length];
        INDArray[] reference = new INDArray[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            vector[i] = view(shapes[i][0], shapes[i][1], 100 + i);
            reference[i] = view(shapes[i][0], shapes[i][1], 100 + i);
        }
        op.accept(new VectorStepMath(), vector);
        op.accept(new Nd4jStepMath(), reference);
        for (int i = 0; i < shapes.length; i++) {
            // float rounding differs with the order of operations: relative to the array's scale
            double diff = vector[i].sub(reference[i]).amaxNumber().doubleValue()
                    / (1 + reference[i].amaxNumber().doubleValue());
            assertTrue(diff < TOLERANCE, "array " + i + " differs by " + diff + " of its scale");
        }
    }

    private static int[] rows(int cols) {
        return new int[] {BATCH, cols};
    }

    @Test
    void lstmStepsAgree() {
        int[] h = rows(HIDDEN);
        agree(new int[][] {rows(4 * HIDDEN), h, h, h, h}, (m, a) -> m.lstmForward(a[0], a[1], a[2], a[3], a[4]));
        agree(new int[][] {rows(4 * HIDDEN), h, h, h, h, h, rows(4 * HIDDEN)},
                (m, a) -> m.lstmBackward(a[0].assign(sigmoidOf(a[0])), a[1], a[3].assign(sigmoidOf(a[3])), a[2],
                        a[4], a[5], a[6]));
    }

    @Test
    void gruStepsAgree() {
        int[] h = rows(HIDDEN);
        agree(new int[][] {rows(2 * HIDDEN), h, h}, (m, a) -> m.gruGates(a[0], a[1], a[2]));
        agree(new int[][] {h, h, h, h}, (m, a) -> m.gruState(a[0], a[1].assign(sigmoidOf(a[1])), a[2], a[3]));
        agree(new int[][] {h, h, h, h, h, h, h},
                (m, a) -> m.gruBackwardState(a[0], a[1], a[2].assign(sigmoidOf(a[2])), a[3], a[4], a[5], a[6]));
        agree(new int[][] {h, h, h, h, h}, (m, a) -> m.gruBackwardReset(a[0], a[1], a[2], a[3], a[4]));
    }

    @Test
    void tanhStepsAgree() {
        int[] h = rows(HIDDEN);
        agree(new int[][] {h, h}, (m, a) -> m.tanh(a[0], a[1]));
        agree(new int[][] {h, h, h, h}, (m, a) -> m.tanhBackward(a[0], a[1], a[2], a[3]));
    }

    @Test
    void tanhIsAccurateOverTheWholeRange() {
        float[] values = new float[8001];
        for (int i = 0; i < values.length; i++) {
            values[i] = -40f + i * 0.01f;
        }
        INDArray z = Nd4j.createFromArray(values).reshape(1, 8001);
        INDArray h = Nd4j.create(DataType.FLOAT, 1, 8001 / VectorStepMath.LANES * VectorStepMath.LANES);
        z = z.get(all(), interval(0, h.size(1))).dup();
        new VectorStepMath().tanh(z, h);
        for (int i = 0; i < h.size(1); i++) {
            assertEquals(Math.tanh(z.getDouble(0, i)), h.getDouble(0, i), 3e-7, "tanh(" + z.getDouble(0, i) + ")");
        }
    }

    @Test
    void theSameBitsBeforeAndAfterTheJitCompiledTheLoop() {
        INDArray z = view(4, 4 * HIDDEN, 7).muli(3);
        INDArray cold = Nd4j.create(DataType.FLOAT, 4, 4 * HIDDEN);
        INDArray warm = Nd4j.create(DataType.FLOAT, 4, 4 * HIDDEN);
        StepMath math = new VectorStepMath();
        math.tanh(z, cold); // interpreted, unless an earlier test warmed it up
        for (int i = 0; i < 30_000; i++) {
            math.tanh(z, warm);
        }
        assertEquals(cold, warm, "a seed must repeat its numbers however warm the JIT is");
    }

    @Test
    void floatOnTheCpuGetsTheSimdPathAndDoubleTheReference() {
        assertInstanceOf(VectorStepMath.class, StepMath.forType(DataType.FLOAT, 256), "surefire adds the vector module");
        assertInstanceOf(Nd4jStepMath.class, StepMath.forType(DataType.DOUBLE, 256));
        assertInstanceOf(Nd4jStepMath.class, StepMath.forType(DataType.FLOAT, VectorStepMath.LANES + 1));
    }

    private static INDArray sigmoidOf(INDArray x) {
        return org.nd4j.linalg.ops.transforms.Transforms.sigmoid(x, true);
    }

    /** The output layer's softmax: ND4J's to float rounding, on views, with and without a scalar tail, large logits. */
    @Test
    void vectorSoftmaxIsNd4jsSoftmax() {
        for (int cols : new int[]{1, 3, VectorStepMath.LANES, 201}) {
            INDArray logits = view(7, cols, 300 + cols).muli(10);
            logits.putScalar(0, 0, 80f);
            INDArray expected = org.nd4j.linalg.factory.Nd4j.exec(
                    new org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax(logits.dup(), 1))[0];
            assertTrue(VectorSoftmax.fits(logits));
            VectorSoftmax.inPlace(logits, new HostBuffers());
            double diff = logits.sub(expected).amaxNumber().doubleValue();
            assertTrue(diff < 1e-6, cols + " columns: differs by " + diff);
        }
        for (float x = -87f; x < 88f; x += 0.37f) {
            assertEquals(Math.exp(x), VectorSoftmax.exp(x), Math.exp(x) * 3e-7, "exp(" + x + ")");
        }
    }
}
