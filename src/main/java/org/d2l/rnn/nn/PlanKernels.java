package org.d2l.rnn.nn;

import java.nio.ByteBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Faster implementations of the libnd4j ops that dominate an unrolled RNN's gradient graph, for
 * {@link SameDiffPlan}: the same op, the same inputs and outputs, computed by direct OpenBLAS calls ({@link Blas})
 * and the JDK's vector API ({@link VectorStepMath}) instead of libnd4j's kernels.
 *
 * <p>Why: measured in the plan on rnn-scratch-512 (quiet machine, 1 thread), libnd4j's tanh took ~190 us and
 * tanh_bp ~250 us on a [32, 512] float array (its tanh is not vectorised: ~11 ns per element) and an add ~85 us;
 * matmul and matmul_bp pay a per-call overhead on top of sgemm. Only float arrays in host memory with the plain
 * shapes the scratch cells produce are taken here (same-shape elementwise ops on contiguous c-order data whose
 * length is a multiple of the vector width; rank-2 matmuls without transposes); anything else returns null and
 * the plan runs libnd4j's op. {@code PlanKernelsTest} compares every kernel with libnd4j's op.
 */
final class PlanKernels {
    private final HostBuffers host = new HostBuffers();
    private final Blas blas = new Blas(host);

    /** A kernel bound to its arrays. */
    interface Kernel {
        void run();
    }

    /**
     * The kernel for libnd4j op {@code opName} with these arguments, or null where libnd4j's op must run.
     * Arrays are those the plan bound to the op's inputs and outputs; they do not change between runs.
     */
    Kernel bind(String opName, long[] iArgs, double[] tArgs, INDArray[] in, INDArray[] out, boolean[] needed) {
        if (!HostBuffers.CPU || !allFloat(in) || !allFloat(out)) {
            return null;
        }
        return switch (opName) {
            case "matmul" -> plainMatmul(iArgs, tArgs, in, out, 2, 1) ? matmul(in, out) : null;
            case "matmul_bp" -> plainMatmul(iArgs, tArgs, in, out, 3, 2)
                    ? matmulBackward(in, out[0], needed[0], out[1], 0) : null;
            case "tanh" -> elementwise(in, out, 1, 1) ? unary(in[0], out[0], VectorStepMath::tanh) : null;
            case "sigmoid" -> elementwise(in, out, 1, 1) ? unary(in[0], out[0], VectorStepMath::sigmoid) : null;
            case "tanh_bp" -> elementwise(in, out, 2, 1) ? binary(in[0], in[1], out[0], VectorStepMath::tanhBackward)
                    : null;
            case "sigmoid_bp" -> elementwise(in, out, 2, 1)
                    ? binary(in[0], in[1], out[0], VectorStepMath::sigmoidBackward) : null;
            case "add" -> elementwise(in, out, 2, 1) ? binary(in[0], in[1], out[0], VectorStepMath::add) : null;
            case "subtract" -> elementwise(in, out, 2, 1) ? binary(in[0], in[1], out[0], VectorStepMath::sub) : null;
            case "multiply" -> elementwise(in, out, 2, 1) ? binary(in[0], in[1], out[0], VectorStepMath::mul) : null;
            // d(x + y) = (eps, eps); d(x - y) = (eps, -eps); d(x y) = (eps y, eps x)
            case "add_bp" -> elementwise(in, out, 3, 2) ? both(unary(in[2], out[0], VectorStepMath::copy),
                    unary(in[2], out[1], VectorStepMath::copy)) : biasAddBackward(in, out);
            case "subtract_bp" -> elementwise(in, out, 3, 2) ? both(unary(in[2], out[0], VectorStepMath::copy),
                    unary(in[2], out[1], VectorStepMath::neg)) : null;
            case "multiply_bp" -> elementwise(in, out, 3, 2) ? both(binary(in[2], in[1], out[0], VectorStepMath::mul),
                    binary(in[2], in[0], out[1], VectorStepMath::mul)) : null;
            default -> null;
        };
    }

    /**
     * add_bp of x [N, H] + b [H] (the bias broadcast over rows, as the input projection adds it): dL/dx = eps,
     * dL/db = eps summed over rows. libnd4j took ~1.6 ms for it at [1120, 512]; null for any other broadcast.
     */
    private Kernel biasAddBackward(INDArray[] in, INDArray[] out) {
        if (in.length != 3 || out.length != 2 || in[0].rank() != 2 || in[1].length() != in[0].size(1)
                || in[1].length() != in[1].size(in[1].rank() - 1)) {
            return null;
        }
        INDArray eps = in[2];
        INDArray dx = out[0];
        INDArray db = out[1];
        long rowBytes = in[0].size(1) * Float.BYTES;
        if (!java.util.Arrays.equals(eps.shape(), in[0].shape()) || !java.util.Arrays.equals(dx.shape(), in[0].shape())
                || !dense(eps) || !dense(dx) || !dense(db) || db.length() != in[1].length()
                || rowBytes % VectorStepMath.vectorBytes() != 0) {
            return null;
        }
        Kernel copy = unary(eps, dx, VectorStepMath::copy);
        ByteBuffer e = host.bytes(eps);
        ByteBuffer d = host.bytes(db);
        int ei = bytePosition(eps);
        int di = bytePosition(db);
        int rows = Math.toIntExact(eps.size(0));
        int width = Math.toIntExact(rowBytes);
        return both(copy, () -> VectorStepMath.columnSums(e, ei, rows, width, d, di));
    }

    private static boolean allFloat(INDArray[] arrays) {
        for (INDArray a : arrays) {
            if (a == null || a.dataType() != DataType.FLOAT) {
                return false;
            }
        }
        return true;
    }

    /** No transposes (iArgs all 0) and no alpha/beta other than 1/0, rank-2 operands. */
    private static boolean plainMatmul(long[] iArgs, double[] tArgs, INDArray[] in, INDArray[] out, int inputs,
                                       int outputs) {
        if (in.length != inputs || out.length != outputs) {
            return false;
        }
        for (long arg : iArgs) {
            if (arg != 0) {
                return false;
            }
        }
        if (tArgs.length > 0 && (tArgs[0] != 1 || (tArgs.length > 1 && tArgs[1] != 0))) {
            return false;
        }
        for (INDArray a : in) {
            if (a.rank() != 2) {
                return false;
            }
        }
        return true;
    }

    /** Same shape everywhere, each array contiguous c-order, length a whole number of vectors. */
    private static boolean elementwise(INDArray[] in, INDArray[] out, int inputs, int outputs) {
        if (in.length != inputs || out.length != outputs) {
            return false;
        }
        long[] shape = out[0].shape();
        for (INDArray[] group : new INDArray[][]{in, out}) {
            for (INDArray a : group) {
                if (!java.util.Arrays.equals(a.shape(), shape) || !dense(a)) {
                    return false;
                }
            }
        }
        return (out[0].length() * Float.BYTES) % VectorStepMath.vectorBytes() == 0;
    }

    private static boolean dense(INDArray a) {
        return a.ordering() == 'c' && a.elementWiseStride() == 1 && !a.isEmpty();
    }

    private interface Unary {
        void apply(ByteBuffer a, int ai, ByteBuffer c, int ci, int length);
    }

    private interface Binary {
        void apply(ByteBuffer a, int ai, ByteBuffer b, int bi, ByteBuffer c, int ci, int length);
    }

    private Kernel unary(INDArray a, INDArray c, Unary f) {
        ByteBuffer ab = host.bytes(a);
        ByteBuffer cb = host.bytes(c);
        int ai = bytePosition(a);
        int ci = bytePosition(c);
        int length = Math.toIntExact(c.length() * Float.BYTES);
        return () -> f.apply(ab, ai, cb, ci, length);
    }

    private Kernel binary(INDArray a, INDArray b, INDArray c, Binary f) {
        ByteBuffer ab = host.bytes(a);
        ByteBuffer bb = host.bytes(b);
        ByteBuffer cb = host.bytes(c);
        int ai = bytePosition(a);
        int bi = bytePosition(b);
        int ci = bytePosition(c);
        int length = Math.toIntExact(c.length() * Float.BYTES);
        return () -> f.apply(ab, ai, bb, bi, cb, ci, length);
    }

    private static Kernel both(Kernel first, Kernel second) {
        return () -> {
            first.run();
            second.run();
        };
    }

    private static int bytePosition(INDArray a) {
        return Math.toIntExact(a.offset() * Float.BYTES);
    }

    /** z = x y; where x's rows turn out one-hot, z's rows are copies of y's rows instead. */
    private Kernel matmul(INDArray[] in, INDArray[] out) {
        INDArray x = in[0];
        INDArray y = in[1];
        INDArray z = out[0];
        SparseRows rows = SparseRows.of(host, x, y, z);
        if (rows == null) {
            return () -> blas.gemm(x, false, y, false, z, 1, 0);
        }
        return () -> {
            if (!rows.gather(y, z)) {
                blas.gemm(x, false, y, false, z, 1, 0);
            }
        };
    }

    /**
     * The rows of a matrix x [N, V] that are one-hot (one non-zero each, as the scratch models' input rows over a
     * vocabulary are), found afresh at every call, and the matmuls with such an x done row by row.
     *
     * <p>Why: at d2l-zh's Jay Chou settings (V = 1,027, N = 35 · 32) the input projection x W_x and its gradient
     * xᵀ dZ were each about 10 ms of sgemm per matmul, almost all of it multiplying zeros; a row copy per token is
     * ~0.1 ms. Checking x costs one vectorised pass over it and gives up at the first row with two non-zeros, so
     * dense operands (hidden states) pay a few vector compares and then take sgemm. The result is the same sum
     * without the zero terms (the gradient's additions in row order rather than sgemm's blocking).
     */
    private static final class SparseRows {
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
            xAt = bytePosition(x);
            rows = Math.toIntExact(x.size(0));
            cols = Math.toIntExact(x.size(1));
            rowBytes = cols * Float.BYTES;
            column = new int[rows];
            value = new float[rows];
        }

        /** For x [N, V] times y [V, W] (or the gradient into such a y): null where the operands do not suit. */
        static SparseRows of(HostBuffers host, INDArray x, INDArray y, INDArray other) {
            if (!dense(x) || !rowsUnitStride(y) || !dense(other)) {
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
            if (!scan()) {
                return false;
            }
            ByteBuffer yb = host.bytes(y);
            ByteBuffer zb = host.bytes(z);
            int width = Math.toIntExact(y.size(1));
            int yRow = Math.toIntExact(y.stride(0) * Float.BYTES);
            int yAt = bytePosition(y);
            int zAt = bytePosition(z);
            for (int i = 0; i < rows; i++) {
                int at = zAt + i * width * Float.BYTES;
                if (column[i] < 0) {
                    VectorStepMath.zero(zb, at, width);
                } else {
                    VectorStepMath.scaledCopy(value[i], yb, yAt + column[i] * yRow, zb, at, width);
                }
            }
            return true;
        }

        /** dy = xᵀ eps + beta dy by rows: dy_{c_i} += v_i · eps_i; false if x is not one-hot-like. */
        boolean scatter(INDArray eps, INDArray dy, double beta) {
            if (!scan()) {
                return false;
            }
            ByteBuffer eb = host.bytes(eps);
            ByteBuffer db = host.bytes(dy);
            int width = Math.toIntExact(dy.size(1));
            int epsAt = bytePosition(eps);
            int dyAt = bytePosition(dy);
            if (beta == 0) {
                VectorStepMath.zero(db, dyAt, Math.toIntExact(dy.length()));
            }
            for (int i = 0; i < rows; i++) {
                if (column[i] >= 0) {
                    VectorStepMath.addScaled(value[i], eb, epsAt + i * width * Float.BYTES, db,
                            dyAt + column[i] * width * Float.BYTES, width);
                }
            }
            return true;
        }
    }

    /**
     * matmul_bp whose dL/dy is added into {@code accumulator} (same shape as y) instead of written to its own
     * output; null where the op does not qualify. {@code dxNeeded}: whether dL/dx is read at all.
     */
    Kernel bindMatmulBackwardInto(long[] iArgs, double[] tArgs, INDArray[] in, INDArray[] out, boolean dxNeeded,
                                  INDArray accumulator) {
        if (!HostBuffers.CPU || !allFloat(in) || !allFloat(out) || accumulator.dataType() != DataType.FLOAT
                || !plainMatmul(iArgs, tArgs, in, out, 3, 2)
                || !java.util.Arrays.equals(accumulator.shape(), in[1].shape())) {
            return null;
        }
        return matmulBackward(in, out[0], dxNeeded, accumulator, 1);
    }

    /** For z = x y and eps = dL/dz: dL/dx = eps yᵀ (if needed), dL/dy = xᵀ eps + beta dy. */
    private Kernel matmulBackward(INDArray[] in, INDArray dx, boolean dxNeeded, INDArray dy, double beta) {
        INDArray x = in[0];
        INDArray y = in[1];
        INDArray eps = in[2];
        SparseRows rows = dense(eps) ? SparseRows.of(host, x, dy, dy) : null;
        return () -> {
            if (dxNeeded) {
                blas.gemm(eps, false, y, true, dx, 1, 0);
            }
            if (rows == null || !rows.scatter(eps, dy, beta)) {
                blas.gemm(x, true, eps, false, dy, 1, beta);
            }
        };
    }
}
