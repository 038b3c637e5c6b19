package org.d2l.rnn.nn;

import java.nio.ByteBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The rows of a matrix x [N, V] that are one-hot (one non-zero each, as the scratch models' input rows over a
 * vocabulary are), found afresh at every call, and the matmuls with such an x done row by row.
 *
 * <p>Why: at d2l-zh's Jay Chou settings (V = 1,027, N = 35 · 32) the input projection x W_x and its gradient
 * xᵀ dZ were each about 10 ms of sgemm per matmul, almost all of it multiplying zeros; a row copy per token is
 * ~0.1 ms. Used by {@link PlanKernels}' matmuls (the scratch models) and the fused kernels' input projections
 * ({@link SequenceKernel#inputProjection}). Checking x costs one vectorised pass over it and gives up at the first
 * row with two non-zeros, so dense operands (hidden states) pay a few vector compares and then take sgemm. The result is the same sum
 * without the zero terms (the gradient's additions in row order rather than sgemm's blocking).
 */
final class SparseRows {
    /** Row-copy products made in this JVM: tests check that the one-hot path really ran. */
    static final java.util.concurrent.atomic.AtomicLong GATHERS = new java.util.concurrent.atomic.AtomicLong();
    private final ByteBuffer x;
    private final int xAt;
    private final int rows;
    private final int cols;
    private final int rowBytes;
    private final int[] column;
    private final float[] value;
    private final HostBuffers host;

    private SparseRows(HostBuffers host, INDArray x) {
        this.host = host;
        this.x = host.bytes(x);
        xAt = PlanKernels.bytePosition(x);
        rows = Math.toIntExact(x.size(0));
        cols = Math.toIntExact(x.size(1));
        rowBytes = cols * Float.BYTES;
        column = new int[rows];
        value = new float[rows];
    }

    /** For x [N, V] times y [V, W] (or the gradient into such a y): null where the operands do not suit. */
    static SparseRows of(HostBuffers host, INDArray x, INDArray y, INDArray other) {
        if (!PlanKernels.dense(x) || !rowsUnitStride(y) || !PlanKernels.dense(other)) {
            return null;
        }
        return new SparseRows(host, x);
    }

    private static boolean rowsUnitStride(INDArray m) {
        return m.ordering() == 'c' && (m.stride(1) == 1 || m.size(1) == 1);
    }

    private boolean scan() {
        return VectorStepMath.singleNonZeros(x, xAt, rows, cols, rowBytes, column, value);
    }

    /** z = x y by rows: z_i = v_i · y_{c_i} (zero where row i is zero); false if x is not one-hot-like. */
    boolean gather(INDArray y, INDArray z) {
        return gather(y, null, z);
    }

    /**
     * z = x y + b by rows, b a dense row of y's width added to every row while it is in cache (null: none); false if
     * x is not one-hot-like.
     */
    boolean gather(INDArray y, INDArray b, INDArray z) {
        return gather(y, b, z, false);
    }

    /**
     * {@link #gather(INDArray, INDArray, INDArray)}, with {@code inHalves} the rows in two halves at once on two
     * threads ({@link NativeThreads#inParallel}): the same numbers, each row computed alike.
     */
    boolean gather(INDArray y, INDArray b, INDArray z, boolean inHalves) {
        if (!scan()) {
            return false;
        }
        GATHERS.incrementAndGet();
        ByteBuffer bb = b == null ? null : host.bytes(b);
        int bAt = b == null ? 0 : PlanKernels.bytePosition(b);
        ByteBuffer yb = host.bytes(y);
        ByteBuffer zb = host.bytes(z);
        int width = Math.toIntExact(y.size(1));
        int yRow = Math.toIntExact(y.stride(0) * Float.BYTES);
        int yAt = PlanKernels.bytePosition(y);
        int zAt = PlanKernels.bytePosition(z);
        NativeThreads.inHalves(inHalves, rows, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                int at = zAt + i * width * Float.BYTES;
                if (column[i] < 0) {
                    VectorStepMath.zero(zb, at, width);
                } else {
                    VectorStepMath.scaledCopy(value[i], yb, yAt + column[i] * yRow, zb, at, width);
                }
                if (bb != null) {
                    VectorStepMath.addScaled(1f, bb, bAt, zb, at, width);
                }
            }
        });
        return true;
    }

    /** dy = xᵀ eps + beta dy by rows: dy_{c_i} += v_i · eps_i; false if x is not one-hot-like. */
    boolean scatter(INDArray eps, INDArray dy, double beta) {
        return scatter(eps, dy, beta, false);
    }

    /**
     * {@link #scatter(INDArray, INDArray, double)}, with {@code inHalves} the columns in two halves at once on two
     * threads (rows share dy's rows, columns do not): the same numbers, each element's sum in the same row order.
     */
    boolean scatter(INDArray eps, INDArray dy, double beta, boolean inHalves) {
        if (!scan()) {
            return false;
        }
        ByteBuffer eb = host.bytes(eps);
        ByteBuffer db = host.bytes(dy);
        int width = Math.toIntExact(dy.size(1));
        int epsAt = PlanKernels.bytePosition(eps);
        int dyAt = PlanKernels.bytePosition(dy);
        if (beta == 0) {
            VectorStepMath.zero(db, dyAt, Math.toIntExact(dy.length()));
        }
        NativeThreads.inHalves(inHalves, width, VectorStepMath.LANES, (from, to) -> {
            for (int i = 0; i < rows; i++) {
                if (column[i] >= 0) {
                    VectorStepMath.addScaled(value[i], eb, epsAt + (i * width + from) * Float.BYTES, db,
                            dyAt + (column[i] * width + from) * Float.BYTES, to - from);
                }
            }
        });
        return true;
    }
}
