package org.d2l.rnn.nn;

import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
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
    /** Most rows of a product that counts as a step's product, whose weights are worth packing ({@link Shared}). */
    private static final long STEP_ROWS = 128;
    private final HostBuffers host = new HostBuffers();
    private final Blas blas = new Blas(host);
    /** Packings of the weights that several step products share, by array, untransposed and transposed. */
    private final Map<INDArray, Shared> packings = new IdentityHashMap<>();
    private final Map<INDArray, Shared> transposedPackings = new IdentityHashMap<>();
    /** Counts the plan's forward passes: the weights may have changed since the packings of an earlier pass. */
    private int pass;

    /** A new forward pass begins: every packing is redone at its first use. */
    void newPass() {
        pass++;
    }

    /**
     * A weight matrix that the unrolled steps multiply again and again ([B, H] × W_h at each step, and its
     * transpose backward), packed once per pass for all of them ({@link PackedGemm}) where their rows add up to
     * enough (in an {@link InferenceSession}: once per session, whatever the rows); its products fall back to sgemm
     * otherwise.
     */
    private final class Shared {
        private final INDArray weights;
        private final boolean transposed;
        private final PackedGemm packed = new PackedGemm(host);
        private long rows;
        /** Products bound to this packing: one means no step shares it. */
        private int uses;
        private int packedPass = -1;
        private boolean usable;

        Shared(INDArray weights, boolean transposed) {
            this.weights = weights;
            this.transposed = transposed;
        }

        /** c = a · op(weights) (+ c); false where the packed loop does not apply. */
        boolean multiply(INDArray a, INDArray c, boolean accumulate) {
            if (packedPass != pass) {
                usable = packed.packs(weights, transposed, 1, rows);
                packedPass = pass;
            }
            return usable && packed.multiply(a, c, accumulate);
        }
    }

    /** The shared packing of op({@code weights}) for a step product of {@code rows} rows; null for larger products. */
    private Shared shared(INDArray weights, boolean transposed, long rows) {
        if (rows > STEP_ROWS) {
            return null;
        }
        Shared s = (transposed ? transposedPackings : packings).computeIfAbsent(weights,
                w -> new Shared(w, transposed));
        s.rows += rows;
        s.uses++;
        return s;
    }

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
            case "stack" -> iArgs.length == 1 ? stack(iArgs[0], in, out) : null;
            case "unstack" -> iArgs.length >= 1 && in.length == 1 ? unstackLast(iArgs[0], in[0], out) : null;
            case "strided_slice" -> in.length == 1 && out.length == 1 ? slice(iArgs, in[0], out[0]) : null;
            case "strided_slice_bp" -> in.length == 2 && out.length == 1 ? sliceBackward(iArgs, in[1], out[0], false)
                    : null;
            case "tile" -> in.length == 1 && out.length == 1 ? tile(iArgs, in[0], out[0], false) : null;
            case "tile_bp" -> in.length == 2 && out.length == 1 ? tile(iArgs, out[0], in[1], true) : null;
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

    /** Contiguous in row-major order (a vector is, whatever order ND4J gave it). */
    static boolean dense(INDArray a) {
        return (a.ordering() == 'c' || a.isVector() || a.isScalar()) && a.elementWiseStride() == 1 && !a.isEmpty();
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

    static int bytePosition(INDArray a) {
        return Math.toIntExact(a.offset() * Float.BYTES);
    }

    /**
     * [begin, end) per dimension of a strided_slice with unit strides and no ellipsis, new or shrunk axes, from its
     * iArgs (begin mask, ellipsis mask, end mask, new-axis mask, shrink mask, then begin, end and strides for the
     * first r dimensions; the others whole); null for any other slice.
     */
    static long[][] plainSlice(long[] iArgs, long[] shape) {
        int r = (iArgs.length - 5) / 3;
        if (iArgs.length != 5 + 3 * r || r < 1 || r > shape.length || iArgs[1] != 0 || iArgs[3] != 0
                || iArgs[4] != 0) {
            return null;
        }
        long[][] range = new long[shape.length][];
        for (int d = 0; d < shape.length; d++) {
            long size = shape[d];
            if (d >= r) {
                range[d] = new long[]{0, size};
                continue;
            }
            long begin = (iArgs[0] >> d & 1) != 0 ? 0 : iArgs[5 + d];
            long end = (iArgs[2] >> d & 1) != 0 ? size : iArgs[5 + r + d];
            begin = Math.min(size, Math.max(0, begin < 0 ? begin + size : begin));
            end = Math.min(size, Math.max(0, end < 0 ? end + size : end));
            if (iArgs[5 + 2 * r + d] != 1 || end <= begin) {
                return null;
            }
            range[d] = new long[]{begin, end};
        }
        return range;
    }

    /**
     * A block of a dense rank-1 or rank-2 array: its rows and columns (a vector is one row) and where the block
     * starts, in bytes from the array's first element; null for other ranks or layouts.
     */
    private record Block(int rows, int cols, int fullCols, int startBytes) {
        static Block of(long[] iArgs, INDArray full) {
            if (full.rank() > 2 || !dense(full)) {
                return null;
            }
            long[][] range = plainSlice(iArgs, full.shape());
            if (range == null) {
                return null;
            }
            long[] rows = full.rank() == 2 ? range[0] : new long[]{0, 1};
            long[] cols = range[full.rank() - 1];
            int fullCols = Math.toIntExact(full.size(full.rank() - 1));
            return new Block(Math.toIntExact(rows[1] - rows[0]), Math.toIntExact(cols[1] - cols[0]), fullCols,
                    Math.toIntExact((rows[0] * fullCols + cols[0]) * Float.BYTES));
        }
    }

    /**
     * strided_slice of a block (the cells' gate blocks of a [batch, gates x H] pre-activation) as row copies.
     * libnd4j's op cost ~33 us a call on [32, 1024] -> [32, 256] in the LSTM's plan, a tenth of an iteration
     * over its ~110 slices; a row copy of 256 floats is well under a microsecond.
     */
    private Kernel slice(long[] iArgs, INDArray full, INDArray part) {
        Block block = Block.of(iArgs, full);
        if (block == null || !dense(part) || part.length() != (long) block.rows() * block.cols()) {
            return null;
        }
        ByteBuffer f = host.bytes(full);
        ByteBuffer p = host.bytes(part);
        int fAt = bytePosition(full) + block.startBytes();
        int pAt = bytePosition(part);
        int fullRow = block.fullCols() * Float.BYTES;
        int partRow = block.cols() * Float.BYTES;
        return () -> {
            for (int i = 0; i < block.rows(); i++) {
                VectorStepMath.copy(f, fAt + i * fullRow, p, pAt + i * partRow, partRow);
            }
        };
    }

    /**
     * strided_slice_bp: dL/dfull is zero outside the block and dL/dpart inside it; with {@code addInto}, dL/dpart is
     * added into the block of dL/dfull in place and the rest left as it is (see {@link #sliceBackwardInto}).
     */
    private Kernel sliceBackward(long[] iArgs, INDArray eps, INDArray dFull, boolean addInto) {
        Block block = Block.of(iArgs, dFull);
        if (block == null || !dense(eps) || eps.length() != (long) block.rows() * block.cols()) {
            return null;
        }
        ByteBuffer e = host.bytes(eps);
        ByteBuffer d = host.bytes(dFull);
        int eAt = bytePosition(eps);
        int dAt = bytePosition(dFull);
        int blockAt = dAt + block.startBytes();
        int length = Math.toIntExact(dFull.length());
        int fullRow = block.fullCols() * Float.BYTES;
        int partRow = block.cols() * Float.BYTES;
        int cols = block.cols();
        return addInto ? () -> {
            for (int i = 0; i < block.rows(); i++) {
                VectorStepMath.addScaled(1f, e, eAt + i * partRow, d, blockAt + i * fullRow, cols);
            }
        } : () -> {
            VectorStepMath.zero(d, dAt, length);
            for (int i = 0; i < block.rows(); i++) {
                VectorStepMath.copy(e, eAt + i * partRow, d, blockAt + i * fullRow, partRow);
            }
        };
    }

    /**
     * tanh_bp or sigmoid_bp from the forward op's output y instead of its input (same derivative, one exp fewer
     * per element: the forward pass already evaluated it); {@code in} = (x, eps) as the op's, y of x's shape.
     * Null where the arrays are not plain dense float ones.
     */
    Kernel activationBackwardFromOutput(String opName, INDArray[] in, INDArray y, INDArray[] out) {
        if (!HostBuffers.CPU || !allFloat(in) || !allFloat(out) || y.dataType() != DataType.FLOAT
                || !elementwise(new INDArray[]{y, in[1]}, out, 2, 1) || !java.util.Arrays.equals(y.shape(), in[0].shape())) {
            return null;
        }
        return switch (opName) {
            case "tanh_bp" -> binary(y, in[1], out[0], VectorStepMath::tanhBackwardFromOutput);
            case "sigmoid_bp" -> binary(y, in[1], out[0], VectorStepMath::sigmoidBackwardFromOutput);
            default -> null;
        };
    }

    /**
     * strided_slice_bp folded into the add that sums it: dL/dfull += dL/dpart inside the block, in place (see
     * SameDiffPlan's slice sums). Null where the block or the arrays are of another kind.
     */
    Kernel sliceBackwardInto(long[] iArgs, INDArray eps, INDArray dFull) {
        if (!HostBuffers.CPU || eps.dataType() != DataType.FLOAT || dFull.dataType() != DataType.FLOAT) {
            return null;
        }
        return sliceBackward(iArgs, eps, dFull, true);
    }

    /**
     * tile repeating only the last axis, T times (the seq2seq decoder's context [B, H, 1] over its T steps), and
     * its backward pass: whole[r, t·L + j] = part[r, j], and dL/dpart[r, j] = Σ_t dL/dwhole[r, t·L + j]. Null for
     * other repetitions or layouts. Why: libnd4j's tile_bp took 2.1 ms a call at [64, 32, 10] (39% of the SameDiff
     * decoder's plan time), its tile 0.5 ms.
     */
    private Kernel tile(long[] reps, INDArray part, INDArray whole, boolean backward) {
        int rank = part.rank();
        if (reps.length != rank || rank < 1 || !dense(part) || !dense(whole) || whole.rank() != rank) {
            return null;
        }
        for (int d = 0; d < rank - 1; d++) {
            if (reps[d] != 1 || whole.size(d) != part.size(d)) {
                return null;
            }
        }
        int times = Math.toIntExact(reps[rank - 1]);
        int width = Math.toIntExact(part.size(rank - 1));
        if (times < 1 || whole.size(rank - 1) != (long) times * width) {
            return null;
        }
        int rows = Math.toIntExact(part.length() / Math.max(1, width));
        ByteBuffer p = host.bytes(part);
        ByteBuffer w = host.bytes(whole);
        int pAt = bytePosition(part);
        int wAt = bytePosition(whole);
        int rowBytes = width * Float.BYTES;
        if (width == 1) { // one float per row (the context's last axis): plain loops, no vector calls
            return backward ? () -> {
                for (int r = 0, from = wAt; r < rows; r++) {
                    float sum = 0;
                    for (int t = 0; t < times; t++, from += Float.BYTES) {
                        sum += w.getFloat(from);
                    }
                    p.putFloat(pAt + r * Float.BYTES, sum);
                }
            } : () -> {
                for (int r = 0, to = wAt; r < rows; r++) {
                    float v = p.getFloat(pAt + r * Float.BYTES);
                    for (int t = 0; t < times; t++, to += Float.BYTES) {
                        w.putFloat(to, v);
                    }
                }
            };
        }
        if (!backward) {
            return () -> {
                for (int r = 0; r < rows; r++) {
                    int from = pAt + r * rowBytes;
                    int to = wAt + r * times * rowBytes;
                    for (int t = 0; t < times; t++) {
                        VectorStepMath.copy(p, from, w, to + t * rowBytes, rowBytes);
                    }
                }
            };
        }
        return () -> {
            for (int r = 0; r < rows; r++) {
                int to = pAt + r * rowBytes;
                int from = wAt + r * times * rowBytes;
                VectorStepMath.copy(w, from, p, to, rowBytes);
                for (int t = 1; t < times; t++) {
                    VectorStepMath.addScaled(1f, w, from + t * rowBytes, p, to, width);
                }
            }
        };
    }

    /**
     * stack of T equal dense arrays along the first axis (block copies) or along a new last axis (the layer's
     * output [batch, H, T] from its T steps: element r of step t lands at r T + t); null for other axes. libnd4j's
     * op took ~1 ms for either at [32, 512] x 35 in rnn-scratch-512's plan.
     */
    private Kernel stack(long axis, INDArray[] parts, INDArray[] whole) {
        int rank = parts.length == 0 ? -1 : parts[0].rank();
        if (whole.length != 1 || parts.length == 0 || !dense(whole[0]) || (axis != 0 && axis != rank && axis != -1)) {
            return null;
        }
        for (INDArray part : parts) {
            if (!dense(part) || !java.util.Arrays.equals(part.shape(), parts[0].shape())) {
                return null;
            }
        }
        return strided(parts, whole[0], axis == 0, true);
    }

    /** unstack along the last axis: the inverse of {@link #stack}'s second case (axis 0 is a view, in the plan). */
    private Kernel unstackLast(long axis, INDArray whole, INDArray[] parts) {
        if (parts.length == 0 || !dense(whole) || (axis != whole.rank() - 1 && axis != -1)
                || whole.size(whole.rank() - 1) != parts.length) {
            return null;
        }
        for (INDArray part : parts) {
            if (!dense(part) || part.length() * parts.length != whole.length()) {
                return null;
            }
        }
        return strided(parts, whole, false, false);
    }

    /** Copies T parts into (or out of) a whole laid out as [T, n] ({@code blocks}) or [n, T]. */
    private Kernel strided(INDArray[] parts, INDArray whole, boolean blocks, boolean intoWhole) {
        int count = parts.length;
        int n = Math.toIntExact(parts[0].length());
        ByteBuffer[] p = new ByteBuffer[count];
        int[] pAt = new int[count];
        for (int t = 0; t < count; t++) {
            p[t] = host.bytes(parts[t]);
            pAt[t] = bytePosition(parts[t]);
        }
        ByteBuffer w = host.bytes(whole);
        int wAt = bytePosition(whole);
        if (blocks) {
            return () -> {
                for (int t = 0; t < count; t++) {
                    int block = wAt + t * n * Float.BYTES;
                    if (intoWhole) {
                        VectorStepMath.copy(p[t], pAt[t], w, block, n * Float.BYTES);
                    } else {
                        VectorStepMath.copy(w, block, p[t], pAt[t], n * Float.BYTES);
                    }
                }
            };
        }
        // one strided BLAS copy per part (level-1 scopy): plain Java loops over the byte buffers ran ~1.7 ns an
        // element here, bounds checks and all
        org.bytedeco.javacpp.FloatPointer[] pp = new org.bytedeco.javacpp.FloatPointer[count];
        org.bytedeco.javacpp.FloatPointer[] wp = new org.bytedeco.javacpp.FloatPointer[count];
        for (int t = 0; t < count; t++) {
            pp[t] = host.floats(parts[t]);
            wp[t] = new org.bytedeco.javacpp.FloatPointer(host.floats(whole)).position(whole.offset() + t);
        }
        return intoWhole ? () -> {
            for (int t = 0; t < count; t++) {
                org.bytedeco.openblas.global.openblas_nolapack.cblas_scopy(n, pp[t], 1, wp[t], count);
            }
        } : () -> {
            for (int t = 0; t < count; t++) {
                org.bytedeco.openblas.global.openblas_nolapack.cblas_scopy(n, wp[t], count, pp[t], 1);
            }
        };
    }

    /**
     * z = x y: a step's product (few rows, y shared with other steps) on y packed once for all of them; where x's
     * rows turn out one-hot (a vocabulary's tokens), z's rows are copies of y's rows instead; sgemm otherwise.
     */
    private Kernel matmul(INDArray[] in, INDArray[] out) {
        INDArray x = in[0];
        INDArray y = in[1];
        INDArray z = out[0];
        Shared packed = shared(y, false, x.size(0));
        SparseRows rows = SparseRows.of(host, x, y, z);
        return () -> {
            if (packed != null && packed.uses > 1 && packed.multiply(x, z, false)) {
                return;
            }
            if (rows == null || !rows.gather(y, z)) {
                blas.gemm(x, false, y, false, z, 1, 0);
            }
        };
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
        Shared packed = dxNeeded ? shared(y, true, eps.size(0)) : null;
        return () -> {
            if (dxNeeded && (packed == null || packed.uses < 2 || !packed.multiply(eps, dx, false))) {
                blas.gemm(eps, false, y, true, dx, 1, 0);
            }
            if (rows == null || !rows.scatter(eps, dy, beta)) {
                blas.gemm(x, true, eps, false, dy, 1, beta);
            }
        };
    }
}
