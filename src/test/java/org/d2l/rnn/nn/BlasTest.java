package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Direct BLAS calls against ND4J's own matmul for every layout, transpose and view the kernels use. */
class BlasTest {
    private final Blas blas = new Blas(new HostBuffers());

    /** A [rows, cols] operand: contiguous 'c' or 'f', or a column block / row block of a wider matrix. */
    private static INDArray operand(DataType type, long rows, long cols, int kind, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return switch (kind) {
            case 0 -> Nd4j.rand(type, rows, cols);
            case 1 -> Nd4j.rand(type, rows, cols).dup('f');
            case 2 -> Nd4j.rand(type, rows, cols + 7).get(all(), interval(4, cols + 4));             // 'c', ld > cols
            case 3 -> Nd4j.rand(type, rows + 6, cols).dup('f').get(interval(2, rows + 2), all());   // 'f', ld > rows
            default -> throw new IllegalArgumentException();
        };
    }

    @Test
    void everyLayoutAndTransposeMatchesNd4j() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int kinds = 0; kinds < 64; kinds++) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0;
                    boolean tb = (t & 2) != 0;
                    INDArray a = operand(type, ta ? 5 : 3, ta ? 3 : 5, kinds & 3, 1);
                    INDArray b = operand(type, tb ? 4 : 5, tb ? 5 : 4, (kinds >> 2) & 3, 2);
                    INDArray c = operand(type, 3, 4, (kinds >> 4) & 3, 3);
                    INDArray expected = Nd4j.gemm(a, b, ta, tb).muli(0.5).addi(c.mul(2.0));
                    blas.gemm(a, ta, b, tb, c, 0.5, 2.0);
                    assertEquals(0.0, expected.sub(c).amaxNumber().doubleValue(), type == DataType.FLOAT ? 1e-5 : 1e-12,
                            type + " kinds " + kinds + " transposes " + t);
                }
            }
        }
    }

    @Test
    void aStridedOutputFallsBackAndStillAccumulates() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 3, 5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 5, 4);
        INDArray c = Nd4j.rand(DataType.FLOAT, 6, 8).get(interval(0, 2, 6), interval(0, 2, 8)); // no unit stride
        INDArray expected = a.mmul(b).addi(c);
        blas.gemm(a, false, b, false, c, 1.0, 1.0);
        assertEquals(0.0, expected.sub(c).amaxNumber().doubleValue(), 1e-5);
    }
}
