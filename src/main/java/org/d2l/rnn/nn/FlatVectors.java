package org.d2l.rnn.nn;

import java.nio.ByteBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Passes over a whole flat vector — the network's gradient view — for the clipping routine. On float host vectors
 * one vector loop scales and sums the squares together; ND4J took three ops for it (scale, norm2, scale again),
 * 1.8% of a d2l 9.7 run and 1.4% of an LSTM-256 step (JFR). Other arrays take ND4J's ops.
 */
public final class FlatVectors {
    private FlatVectors() {
    }

    /** Scales {@code v} by {@code factor} in place and returns the L2 norm of the scaled vector. */
    public static double scaleAndNorm(INDArray v, double factor) {
        if (!loop(v)) {
            if (factor != 1) {
                v.muli(factor);
            }
            return v.norm2Number().doubleValue();
        }
        return Math.sqrt(VectorStepMath.scaleAndSumSquares(bytes(v), PlanKernels.bytePosition(v),
                Math.toIntExact(v.length() * Float.BYTES), (float) factor));
    }

    /** v = v · factor in place. */
    public static void scale(INDArray v, double factor) {
        if (!loop(v)) {
            v.muli(factor);
            return;
        }
        ByteBuffer bytes = bytes(v);
        int at = PlanKernels.bytePosition(v);
        VectorStepMath.scaledCopy((float) factor, bytes, at, bytes, at, Math.toIntExact(v.length())); // in place
    }

    /** Whether the vector loops can read {@code v}: float, host memory, elements one after the other. */
    static boolean loop(INDArray v) {
        return VectorSupport.AVAILABLE && HostBuffers.CPU && v.dataType() == DataType.FLOAT && PlanKernels.dense(v);
    }

    /** A new cache each time: one lookup per call, and the clipping routine may run on several replicas' threads. */
    private static ByteBuffer bytes(INDArray v) {
        return new HostBuffers().bytes(v);
    }
}
