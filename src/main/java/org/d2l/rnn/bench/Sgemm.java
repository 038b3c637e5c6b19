package org.d2l.rnn.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What ND4J's sgemm reaches on this machine at a config's main matrix shape: the ceiling throughput is measured against. */
final class Sgemm {
    private Sgemm() {
    }

    /**
     * GFLOP/s of [batch, input + hidden] × [input + hidden, gates·hidden] in float — the shape of one step's
     * fused gate matmul, the largest of the step.
     */
    static double gflops(int batch, int inner, int outer) {
        INDArray a = Nd4j.rand(DataType.FLOAT, batch, inner);
        INDArray b = Nd4j.rand(DataType.FLOAT, inner, outer);
        INDArray c = Nd4j.create(DataType.FLOAT, batch, outer);
        int reps = Math.max(10, (int) (2e8 / (2.0 * batch * inner * outer)));
        Timing t = Timing.of(() -> {
            for (int i = 0; i < reps; i++) {
                Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            }
        }, 2, 5, 1);
        return 2.0 * batch * inner * outer * reps / (t.medianMsPerIter() / 1e3) / 1e9;
    }
}
