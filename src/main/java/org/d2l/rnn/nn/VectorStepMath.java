package org.d2l.rnn.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link StepMath} for float arrays in host memory with the JDK's vector API: each step's elementwise work is a
 * few passes over each row, SIMD across the hidden units. σ(x) = 1 / (1 + e^−x); tanh(x) = 2σ(2x) − 1 (absolute
 * error below 3e-7, tested).
 *
 * <p>exp is our own (Cephes' expf: 2^k times a degree-6 polynomial, relative error ~1e-7) built from
 * add/mul/shift and bit casts only, not {@code VectorOperators.EXP}: that one is the JIT's SVML routine once C2 compiled
 * the loop but a per-lane {@code Math.exp} before, and the two differ in the last bit — the same seed gave
 * different perplexities in the 7th digit depending on how warm the JIT was. Basic IEEE operations round the same
 * in every tier, so a seed repeats its numbers exactly.
 *
 * <p>Written for C2: loads and stores are spelled out in the loop bodies instead of going through helper
 * methods, because C2 refused to inline such helpers into the larger bodies ("callee uses too much stack") and
 * then boxed every vector: 200-500 KB of garbage and 3-4x the time per call, measured. For the same reason there
 * are no masked tails: only hidden sizes that are a multiple of {@link #LANES} take this path
 * ({@link StepMath#forType}).
 */
final class VectorStepMath implements StepMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector: 8 with AVX2, 16 with AVX-512. */
    static final int LANES = S.length();
    private static final int STEP = LANES * Float.BYTES;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    private static final float ROUNDING = 12582912f; // 1.5 * 2^23
    private static final int ROUNDING_BITS = Float.floatToRawIntBits(ROUNDING);
    private final HostBuffers host = new HostBuffers();
    /** The LSTM step's rows on the Java heap: the gates, their gradients, and the [B, H] states of a step. */
    private float[] gateRows = new float[0];
    private float[] gradientRows = new float[0];
    private float[] stateRows = new float[0];

    /** e^x, Cephes' expf; x is clamped to [-87.3, 88.3], where e^x is a normal float. */
    private static FloatVector exp(FloatVector x) {
        FloatVector v = x.max(-87.3f).min(88.3f);
        // k = round(x log2 e) by the 1.5 * 2^23 trick: k sits in the low mantissa bits of t, which give 2^k below
        FloatVector t = v.mul(LOG2E).add(ROUNDING);
        FloatVector k = t.sub(ROUNDING);
        FloatVector r = v.sub(k.mul(LN2_HIGH)).sub(k.mul(LN2_LOW));
        FloatVector p = r.mul(1.9875691500e-4f).add(1.3981999507e-3f).mul(r).add(8.3334519073e-3f).mul(r)
                .add(4.1665795894e-2f).mul(r).add(1.6666665459e-1f).mul(r).add(5.0000001201e-1f);
        p = p.mul(r.mul(r)).add(r).add(1f);
        IntVector twoToK = ((IntVector) t.reinterpretAsInts()).add(127 - ROUNDING_BITS).lanewise(VectorOperators.LSHL, 23);
        return p.mul(twoToK.reinterpretAsFloats());
    }

    /** σ in place over bytes [from, to) of {@code bytes}. */
    private static void sigmoidInPlace(ByteBuffer bytes, int from, int to) {
        for (int j = from; j < to; j += STEP) {
            FloatVector x = FloatVector.fromByteBuffer(S, bytes, j, NATIVE);
            ONE.div(exp(x.neg()).add(1f)).intoByteBuffer(bytes, j, NATIVE);
        }
    }

    /** tanh of {@code length} bytes of floats from {@code src} at {@code from} into {@code dst} at {@code at}. */
    private static void tanhInto(ByteBuffer src, int from, int length, ByteBuffer dst, int at) {
        for (int j = 0; j < length; j += STEP) {
            FloatVector x = FloatVector.fromByteBuffer(S, src, from + j, NATIVE);
            ONE.div(exp(x.mul(-2f)).add(1f)).mul(2f).sub(1f).intoByteBuffer(dst, at + j, NATIVE);
        }
    }

    // Whole-array kernels for SameDiffPlan: contiguous float data, byte positions, length a multiple of STEP.

    /** Bytes per vector; lengths given to the whole-array kernels are multiples of it. */
    static int vectorBytes() {
        return STEP;
    }

    /** dst = tanh(src) over {@code length} bytes. */
    static void tanh(ByteBuffer src, int from, ByteBuffer dst, int at, int length) {
        for (int j = 0; j < length; j += STEP) { // spelled out, not tanhInto: see the class comment on C2
            FloatVector x = FloatVector.fromByteBuffer(S, src, from + j, NATIVE);
            ONE.div(exp(x.mul(-2f)).add(1f)).mul(2f).sub(1f).intoByteBuffer(dst, at + j, NATIVE);
        }
    }

    /** dst = σ(src) over {@code length} bytes. */
    static void sigmoid(ByteBuffer src, int from, ByteBuffer dst, int at, int length) {
        for (int j = 0; j < length; j += STEP) {
            FloatVector x = FloatVector.fromByteBuffer(S, src, from + j, NATIVE);
            ONE.div(exp(x.neg()).add(1f)).intoByteBuffer(dst, at + j, NATIVE);
        }
    }

    /** dz = eps (1 − tanh(x)²), the derivative through tanh from its input x, as libnd4j's tanh_bp. */
    static void tanhBackward(ByteBuffer x, int xi, ByteBuffer eps, int ei, ByteBuffer dz, int zi, int length) {
        for (int j = 0; j < length; j += STEP) {
            FloatVector v = FloatVector.fromByteBuffer(S, x, xi + j, NATIVE);
            FloatVector t = ONE.div(exp(v.mul(-2f)).add(1f)).mul(2f).sub(1f);
            FloatVector.fromByteBuffer(S, eps, ei + j, NATIVE).mul(ONE.sub(t.mul(t)))
                    .intoByteBuffer(dz, zi + j, NATIVE);
        }
    }

    /** dz = eps σ(x) (1 − σ(x)), as libnd4j's sigmoid_bp. */
    static void sigmoidBackward(ByteBuffer x, int xi, ByteBuffer eps, int ei, ByteBuffer dz, int zi, int length) {
        for (int j = 0; j < length; j += STEP) {
            FloatVector v = FloatVector.fromByteBuffer(S, x, xi + j, NATIVE);
            FloatVector sg = ONE.div(exp(v.neg()).add(1f));
            FloatVector.fromByteBuffer(S, eps, ei + j, NATIVE).mul(sg.mul(ONE.sub(sg)))
                    .intoByteBuffer(dz, zi + j, NATIVE);
        }
    }

    /** dz = eps (1 − y²) from the forward output y = tanh(x): tanh_bp without evaluating tanh again. */
    static void tanhBackwardFromOutput(ByteBuffer y, int yi, ByteBuffer eps, int ei, ByteBuffer dz, int zi,
                                       int length) {
        for (int j = 0; j < length; j += STEP) {
            FloatVector t = FloatVector.fromByteBuffer(S, y, yi + j, NATIVE);
            FloatVector.fromByteBuffer(S, eps, ei + j, NATIVE).mul(ONE.sub(t.mul(t)))
                    .intoByteBuffer(dz, zi + j, NATIVE);
        }
    }

    /** dz = eps y (1 − y) from the forward output y = σ(x): sigmoid_bp without evaluating σ again. */
    static void sigmoidBackwardFromOutput(ByteBuffer y, int yi, ByteBuffer eps, int ei, ByteBuffer dz, int zi,
                                          int length) {
        for (int j = 0; j < length; j += STEP) {
            FloatVector sg = FloatVector.fromByteBuffer(S, y, yi + j, NATIVE);
            FloatVector.fromByteBuffer(S, eps, ei + j, NATIVE).mul(sg.mul(ONE.sub(sg)))
                    .intoByteBuffer(dz, zi + j, NATIVE);
        }
    }

    /** c = a + b. */
    static void add(ByteBuffer a, int ai, ByteBuffer b, int bi, ByteBuffer c, int ci, int length) {
        for (int j = 0; j < length; j += STEP) {
            FloatVector.fromByteBuffer(S, a, ai + j, NATIVE).add(FloatVector.fromByteBuffer(S, b, bi + j, NATIVE))
                    .intoByteBuffer(c, ci + j, NATIVE);
        }
    }

    /** c = a − b. */
    static void sub(ByteBuffer a, int ai, ByteBuffer b, int bi, ByteBuffer c, int ci, int length) {
        for (int j = 0; j < length; j += STEP) {
            FloatVector.fromByteBuffer(S, a, ai + j, NATIVE).sub(FloatVector.fromByteBuffer(S, b, bi + j, NATIVE))
                    .intoByteBuffer(c, ci + j, NATIVE);
        }
    }

    /** c = a b. */
    static void mul(ByteBuffer a, int ai, ByteBuffer b, int bi, ByteBuffer c, int ci, int length) {
        for (int j = 0; j < length; j += STEP) {
            FloatVector.fromByteBuffer(S, a, ai + j, NATIVE).mul(FloatVector.fromByteBuffer(S, b, bi + j, NATIVE))
                    .intoByteBuffer(c, ci + j, NATIVE);
        }
    }

    /**
     * Adam's step over {@code length} bytes of floats, in libnd4j's {@code adam_updater} order:
     * m = β1 m + g (1 − β1), v = β2 v + g g (1 − β2), g = (m αt) / (√v + ε); each operation rounds on its own (no
     * fused multiply-add), the tail shorter than a vector float by float with the same operations.
     */
    static void adam(ByteBuffer g, int gi, ByteBuffer m, int mi, ByteBuffer v, int vi, int length, float beta1,
                     float beta2, float alphaT, float epsilon) {
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        int vectorBytes = length - length % STEP;
        for (int j = 0; j < vectorBytes; j += STEP) {
            FloatVector grad = FloatVector.fromByteBuffer(S, g, gi + j, NATIVE);
            FloatVector mt = FloatVector.fromByteBuffer(S, m, mi + j, NATIVE).mul(beta1).add(grad.mul(oneMinusBeta1));
            FloatVector vt = FloatVector.fromByteBuffer(S, v, vi + j, NATIVE).mul(beta2)
                    .add(grad.mul(grad).mul(oneMinusBeta2));
            mt.intoByteBuffer(m, mi + j, NATIVE);
            vt.intoByteBuffer(v, vi + j, NATIVE);
            mt.mul(alphaT).div(vt.lanewise(VectorOperators.SQRT).add(epsilon)).intoByteBuffer(g, gi + j, NATIVE);
        }
        for (int j = vectorBytes; j < length; j += Float.BYTES) {
            float grad = g.getFloat(gi + j);
            float mt = m.getFloat(mi + j) * beta1 + grad * oneMinusBeta1;
            float vt = v.getFloat(vi + j) * beta2 + grad * grad * oneMinusBeta2;
            m.putFloat(mi + j, mt);
            v.putFloat(vi + j, vt);
            g.putFloat(gi + j, mt * alphaT / ((float) Math.sqrt(vt) + epsilon));
        }
    }

    /**
     * a = a · factor over {@code length} bytes of floats (each product rounded to float, as ND4J's scalar multiply);
     * returns Σ a² of the result, summed in float lanes over blocks of {@value #SQUARE_BLOCK} bytes and in double
     * across blocks, so that a million squares keep ~7 digits.
     */
    static double scaleAndSumSquares(ByteBuffer a, int ai, int length, float factor) {
        double total = 0;
        int vectorBytes = length - length % STEP;
        for (int block = 0; block < vectorBytes; block += SQUARE_BLOCK) {
            int end = Math.min(vectorBytes, block + SQUARE_BLOCK);
            FloatVector sum = FloatVector.zero(S);
            for (int j = block; j < end; j += STEP) {
                FloatVector x = FloatVector.fromByteBuffer(S, a, ai + j, NATIVE).mul(factor);
                x.intoByteBuffer(a, ai + j, NATIVE);
                sum = sum.add(x.mul(x));
            }
            total += sum.reduceLanes(VectorOperators.ADD);
        }
        for (int j = vectorBytes; j < length; j += Float.BYTES) {
            float x = a.getFloat(ai + j) * factor;
            a.putFloat(ai + j, x);
            total += x * x;
        }
        return total;
    }

    private static final int SQUARE_BLOCK = 4096;

    /** dst[j] = sum over {@code rows} rows of src[i, j]; rows are {@code rowBytes} apart and long. */
    static void columnSums(ByteBuffer src, int from, int rows, int rowBytes, ByteBuffer dst, int at) {
        columnSums(src, from, rows, rowBytes, rowBytes, dst, at);
    }

    /** The same over the first {@code widthBytes} of each row (a vector multiple), rows {@code rowBytes} apart. */
    static void columnSums(ByteBuffer src, int from, int rows, int rowBytes, int widthBytes, ByteBuffer dst, int at) {
        for (int j = 0; j < widthBytes; j += STEP) {
            FloatVector.zero(S).intoByteBuffer(dst, at + j, NATIVE);
        }
        for (int i = 0; i < rows; i++) {
            int row = from + i * rowBytes;
            for (int j = 0; j < widthBytes; j += STEP) {
                FloatVector.fromByteBuffer(S, dst, at + j, NATIVE).add(FloatVector.fromByteBuffer(S, src, row + j, NATIVE))
                        .intoByteBuffer(dst, at + j, NATIVE);
            }
        }
    }

    /** c = a over {@code length} bytes of floats (a tail shorter than a vector copied float by float). */
    static void copy(ByteBuffer a, int ai, ByteBuffer c, int ci, int length) {
        int vectorBytes = length - length % STEP;
        for (int j = 0; j < vectorBytes; j += STEP) {
            FloatVector.fromByteBuffer(S, a, ai + j, NATIVE).intoByteBuffer(c, ci + j, NATIVE);
        }
        for (int j = vectorBytes; j < length; j += Float.BYTES) {
            c.putFloat(ci + j, a.getFloat(ai + j));
        }
    }

    /** c = −a. */
    static void neg(ByteBuffer a, int ai, ByteBuffer c, int ci, int length) {
        for (int j = 0; j < length; j += STEP) {
            FloatVector.fromByteBuffer(S, a, ai + j, NATIVE).neg().intoByteBuffer(c, ci + j, NATIVE);
        }
    }

    // Sparse-row kernels for SameDiffPlan's matmuls with a one-hot left operand: rows of cols floats, byte positions.

    /**
     * For each of {@code rows} rows ({@code rowBytes} apart, {@code cols} floats long) the column of its only non-zero
     * entry ({@code -1}: none) and that entry; false, at the first row with two non-zeros, where the matrix is not
     * one-hot-like (then the caller multiplies densely).
     */
    static boolean singleNonZeros(ByteBuffer x, int from, int rows, int cols, int rowBytes, int[] column,
                                  float[] value) {
        int vectorCols = cols - cols % LANES;
        for (int i = 0; i < rows; i++) {
            int row = from + i * rowBytes;
            int found = -1;
            for (int j = 0; j < vectorCols; j += LANES) {
                VectorMask<Float> nonZero = FloatVector.fromByteBuffer(S, x, row + j * Float.BYTES, NATIVE)
                        .compare(VectorOperators.NE, 0f);
                if (nonZero.anyTrue()) {
                    if (found >= 0 || nonZero.trueCount() > 1) {
                        return false;
                    }
                    found = j + nonZero.firstTrue();
                }
            }
            for (int j = vectorCols; j < cols; j++) {
                if (x.getFloat(row + j * Float.BYTES) != 0f) {
                    if (found >= 0) {
                        return false;
                    }
                    found = j;
                }
            }
            column[i] = found;
            value[i] = found < 0 ? 0f : x.getFloat(row + found * Float.BYTES);
        }
        return true;
    }

    /** dst = 0 over {@code cols} floats (a fill, not a product: the array may hold NaN from before). */
    static void zero(ByteBuffer dst, int di, int cols) {
        int vectorBytes = (cols - cols % LANES) * Float.BYTES;
        FloatVector zero = FloatVector.zero(S);
        for (int j = 0; j < vectorBytes; j += STEP) {
            zero.intoByteBuffer(dst, di + j, NATIVE);
        }
        for (int j = vectorBytes; j < cols * Float.BYTES; j += Float.BYTES) {
            dst.putFloat(di + j, 0f);
        }
    }

    /** dst = v · src over {@code cols} floats. */
    static void scaledCopy(float v, ByteBuffer src, int si, ByteBuffer dst, int di, int cols) {
        int vectorBytes = (cols - cols % LANES) * Float.BYTES;
        for (int j = 0; j < vectorBytes; j += STEP) {
            FloatVector.fromByteBuffer(S, src, si + j, NATIVE).mul(v).intoByteBuffer(dst, di + j, NATIVE);
        }
        for (int j = vectorBytes; j < cols * Float.BYTES; j += Float.BYTES) {
            dst.putFloat(di + j, v * src.getFloat(si + j));
        }
    }

    /** dst += v · src over {@code cols} floats. */
    static void addScaled(float v, ByteBuffer src, int si, ByteBuffer dst, int di, int cols) {
        int vectorBytes = (cols - cols % LANES) * Float.BYTES;
        for (int j = 0; j < vectorBytes; j += STEP) {
            FloatVector.fromByteBuffer(S, src, si + j, NATIVE).mul(v)
                    .add(FloatVector.fromByteBuffer(S, dst, di + j, NATIVE)).intoByteBuffer(dst, di + j, NATIVE);
        }
        for (int j = vectorBytes; j < cols * Float.BYTES; j += Float.BYTES) {
            dst.putFloat(di + j, dst.getFloat(di + j) + v * src.getFloat(si + j));
        }
    }

    /** Byte position of row {@code row} of a row-major [B, n] array in its root buffer. */
    private static int rowAt(INDArray array, int row) {
        long stride = array.size(0) > 1 ? array.stride(0) : array.size(1);
        return (int) ((array.offset() + row * stride) * Float.BYTES);
    }

    private static int bytes(INDArray rowMajor) {
        return (int) rowMajor.size(1) * Float.BYTES;
    }

    /**
     * On Java arrays: the step's rows are copied in, computed with {@code fromArray}/{@code intoArray}, and copied
     * back. Why: in training, C2 now and then compiled this step's tanh with its vector stores to direct ByteBuffers
     * not intrinsified ("VectorSupport::store failed to inline (intrinsic)", every vector then boxed), as it did
     * {@link PackedGemm}'s loop: in one LSTM-256 profile the tanh ran at ~8.5 ns a value against 1.4 ns alone and
     * took 10% of the training step (PROFILE.md round 11). Array stores are not subject to that; the copies move
     * ~0.4 MB a step at [32, 1,024] gates. Same operations in the same order, so the same numbers.
     */
    @Override
    public void lstmForward(INDArray gates, INDArray cPrev, INDArray c, INDArray cTanh, INDArray h) {
        int rows = (int) c.size(0);
        int hidden = (int) c.size(1);
        int width = 4 * hidden;
        int n = rows * hidden;
        if (gateRows.length < rows * width) {
            gateRows = new float[rows * width];
        }
        if (stateRows.length < 4 * n) {
            stateRows = new float[4 * n];
        }
        float[] g = gateRows;
        float[] st = stateRows; // c_{t-1}, c_t, tanh(c_t), h_t: n floats each
        host.rowsToArray(gates, g, 0);
        host.rowsToArray(cPrev, st, 0);
        for (int b = 0; b < rows; b++) {
            int gi = b * width;
            int si = b * hidden;
            tanhArray(g, gi, hidden, g, gi);                // A
            sigmoidArray(g, gi + hidden, gi + width);         // F, O, G side by side
            for (int j = 0; j < hidden; j += LANES) {
                FloatVector a = FloatVector.fromArray(S, g, gi + j);
                FloatVector f = FloatVector.fromArray(S, g, gi + hidden + j);
                FloatVector i = FloatVector.fromArray(S, g, gi + 3 * hidden + j);
                f.mul(FloatVector.fromArray(S, st, si + j)).add(i.mul(a)).intoArray(st, n + si + j);
            }
            tanhArray(st, n + si, hidden, st, 2 * n + si);
            for (int j = 0; j < hidden; j += LANES) {
                FloatVector.fromArray(S, g, gi + 2 * hidden + j).mul(FloatVector.fromArray(S, st, 2 * n + si + j))
                        .intoArray(st, 3 * n + si + j);
            }
        }
        host.rowsFromArray(g, 0, gates);
        host.rowsFromArray(st, n, c);
        host.rowsFromArray(st, 2 * n, cTanh);
        host.rowsFromArray(st, 3 * n, h);
    }

    /** σ in place over floats [from, to) of {@code a}. */
    private static void sigmoidArray(float[] a, int from, int to) {
        for (int j = from; j < to; j += LANES) {
            FloatVector x = FloatVector.fromArray(S, a, j);
            ONE.div(exp(x.neg()).add(1f)).intoArray(a, j);
        }
    }

    /** tanh of {@code length} floats of {@code src} from {@code from} into {@code dst} at {@code at}. */
    private static void tanhArray(float[] src, int from, int length, float[] dst, int at) {
        for (int j = 0; j < length; j += LANES) {
            FloatVector x = FloatVector.fromArray(S, src, from + j);
            ONE.div(exp(x.mul(-2f)).add(1f)).mul(2f).sub(1f).intoArray(dst, at + j);
        }
    }

    /** On Java arrays, for the reason {@link #lstmForward} gives. Same operations, same numbers. */
    @Override
    public void lstmBackward(INDArray gates, INDArray cPrev, INDArray cTanh, INDArray dY, INDArray carry, INDArray dc,
                             INDArray dGates) {
        int rows = (int) cPrev.size(0);
        int hidden = (int) cPrev.size(1);
        int width = 4 * hidden;
        int n = rows * hidden;
        if (gateRows.length < rows * width) {
            gateRows = new float[rows * width];
        }
        if (gradientRows.length < rows * width) {
            gradientRows = new float[rows * width];
        }
        if (stateRows.length < 5 * n) {
            stateRows = new float[5 * n];
        }
        float[] g = gateRows;
        float[] dg = gradientRows;
        float[] st = stateRows; // c_{t-1}, tanh(c_t), dL/dY, carry, dL/dc: n floats each
        host.rowsToArray(gates, g, 0);
        host.rowsToArray(cPrev, st, 0);
        host.rowsToArray(cTanh, st, n);
        host.rowsToArray(dY, st, 2 * n);
        host.rowsToArray(carry, st, 3 * n);
        host.rowsToArray(dc, st, 4 * n);
        for (int b = 0; b < rows; b++) {
            int gi = b * width;
            int si = b * hidden;
            for (int j = 0; j < hidden; j += LANES) {
                FloatVector a = FloatVector.fromArray(S, g, gi + j);
                FloatVector f = FloatVector.fromArray(S, g, gi + hidden + j);
                FloatVector o = FloatVector.fromArray(S, g, gi + 2 * hidden + j);
                FloatVector i = FloatVector.fromArray(S, g, gi + 3 * hidden + j);
                FloatVector t = FloatVector.fromArray(S, st, n + si + j);
                FloatVector dh = FloatVector.fromArray(S, st, 2 * n + si + j)
                        .add(FloatVector.fromArray(S, st, 3 * n + si + j));
                FloatVector dcell = dh.mul(o).mul(ONE.sub(t.mul(t)))
                        .add(FloatVector.fromArray(S, st, 4 * n + si + j));
                dh.mul(t).mul(o.sub(o.mul(o))).intoArray(dg, gi + 2 * hidden + j);
                dcell.mul(FloatVector.fromArray(S, st, si + j)).mul(f.sub(f.mul(f))).intoArray(dg, gi + hidden + j);
                dcell.mul(a).mul(i.sub(i.mul(i))).intoArray(dg, gi + 3 * hidden + j);
                dcell.mul(i).mul(ONE.sub(a.mul(a))).intoArray(dg, gi + j);
                dcell.mul(f).intoArray(st, 4 * n + si + j);
            }
        }
        host.rowsFromArray(dg, 0, dGates);
        host.rowsFromArray(st, 4 * n, dc);
    }

    @Override
    public void gruGates(INDArray resetUpdate, INDArray h, INDArray rh) {
        ByteBuffer g = host.bytes(resetUpdate);
        ByteBuffer hs = host.bytes(h);
        ByteBuffer out = host.bytes(rh);
        int block = bytes(h);
        for (int b = 0; b < h.size(0); b++) {
            int gi = rowAt(resetUpdate, b);
            sigmoidInPlace(g, gi, gi + 2 * block); // R, Z side by side
            int hi = rowAt(h, b);
            int oi = rowAt(rh, b);
            for (int j = 0; j < block; j += STEP) {
                FloatVector.fromByteBuffer(S, g, gi + j, NATIVE).mul(FloatVector.fromByteBuffer(S, hs, hi + j, NATIVE))
                        .intoByteBuffer(out, oi + j, NATIVE);
            }
        }
    }

    @Override
    public void gruState(INDArray candidate, INDArray update, INDArray h, INDArray next) {
        ByteBuffer cs = host.bytes(candidate);
        ByteBuffer zs = host.bytes(update);
        ByteBuffer hs = host.bytes(h);
        ByteBuffer out = host.bytes(next);
        int block = bytes(h);
        for (int b = 0; b < h.size(0); b++) {
            int ci = rowAt(candidate, b);
            int zi = rowAt(update, b);
            int hi = rowAt(h, b);
            int oi = rowAt(next, b);
            tanhInto(cs, ci, block, cs, ci);
            for (int j = 0; j < block; j += STEP) {
                FloatVector c = FloatVector.fromByteBuffer(S, cs, ci + j, NATIVE);
                FloatVector z = FloatVector.fromByteBuffer(S, zs, zi + j, NATIVE);
                FloatVector.fromByteBuffer(S, hs, hi + j, NATIVE).sub(c).mul(z).add(c).intoByteBuffer(out, oi + j, NATIVE);
            }
        }
    }

    @Override
    public void gruBackwardState(INDArray dY, INDArray carry, INDArray update, INDArray candidate, INDArray h,
                                 INDArray dCandidate, INDArray dUpdate) {
        ByteBuffer dy = host.bytes(dY);
        ByteBuffer cr = host.bytes(carry);
        ByteBuffer zs = host.bytes(update);
        ByteBuffer cs = host.bytes(candidate);
        ByteBuffer hs = host.bytes(h);
        ByteBuffer dcs = host.bytes(dCandidate);
        ByteBuffer dzs = host.bytes(dUpdate);
        int block = bytes(h);
        for (int b = 0; b < h.size(0); b++) {
            int yi = rowAt(dY, b);
            int ri = rowAt(carry, b);
            int zi = rowAt(update, b);
            int ci = rowAt(candidate, b);
            int hi = rowAt(h, b);
            int dci = rowAt(dCandidate, b);
            int dzi = rowAt(dUpdate, b);
            for (int j = 0; j < block; j += STEP) {
                FloatVector dh = FloatVector.fromByteBuffer(S, dy, yi + j, NATIVE)
                        .add(FloatVector.fromByteBuffer(S, cr, ri + j, NATIVE));
                FloatVector z = FloatVector.fromByteBuffer(S, zs, zi + j, NATIVE);
                FloatVector c = FloatVector.fromByteBuffer(S, cs, ci + j, NATIVE);
                dh.sub(dh.mul(z)).mul(ONE.sub(c.mul(c))).intoByteBuffer(dcs, dci + j, NATIVE);
                dh.mul(FloatVector.fromByteBuffer(S, hs, hi + j, NATIVE).sub(c)).mul(z.sub(z.mul(z)))
                        .intoByteBuffer(dzs, dzi + j, NATIVE);
                dh.mul(z).intoByteBuffer(cr, ri + j, NATIVE);
            }
        }
    }

    @Override
    public void gruBackwardReset(INDArray dRH, INDArray reset, INDArray h, INDArray dReset, INDArray carry) {
        ByteBuffer drh = host.bytes(dRH);
        ByteBuffer rs = host.bytes(reset);
        ByteBuffer hs = host.bytes(h);
        ByteBuffer drs = host.bytes(dReset);
        ByteBuffer cr = host.bytes(carry);
        int block = bytes(h);
        for (int b = 0; b < h.size(0); b++) {
            int di = rowAt(dRH, b);
            int ri = rowAt(reset, b);
            int hi = rowAt(h, b);
            int oi = rowAt(dReset, b);
            int ci = rowAt(carry, b);
            for (int j = 0; j < block; j += STEP) {
                FloatVector d = FloatVector.fromByteBuffer(S, drh, di + j, NATIVE);
                FloatVector r = FloatVector.fromByteBuffer(S, rs, ri + j, NATIVE);
                d.mul(FloatVector.fromByteBuffer(S, hs, hi + j, NATIVE)).mul(r.sub(r.mul(r)))
                        .intoByteBuffer(drs, oi + j, NATIVE);
                d.mul(r).add(FloatVector.fromByteBuffer(S, cr, ci + j, NATIVE)).intoByteBuffer(cr, ci + j, NATIVE);
            }
        }
    }

    @Override
    public void tanh(INDArray z, INDArray h) {
        ByteBuffer zs = host.bytes(z);
        ByteBuffer hs = host.bytes(h);
        int block = bytes(h);
        for (int b = 0; b < h.size(0); b++) {
            tanhInto(zs, rowAt(z, b), block, hs, rowAt(h, b));
        }
    }

    @Override
    public void tanhBackward(INDArray dY, INDArray carry, INDArray h, INDArray dZ) {
        ByteBuffer dy = host.bytes(dY);
        ByteBuffer cr = host.bytes(carry);
        ByteBuffer hs = host.bytes(h);
        ByteBuffer dz = host.bytes(dZ);
        int block = bytes(h);
        for (int b = 0; b < h.size(0); b++) {
            int yi = rowAt(dY, b);
            int ri = rowAt(carry, b);
            int hi = rowAt(h, b);
            int zi = rowAt(dZ, b);
            for (int j = 0; j < block; j += STEP) {
                FloatVector y = FloatVector.fromByteBuffer(S, hs, hi + j, NATIVE);
                FloatVector.fromByteBuffer(S, dy, yi + j, NATIVE).add(FloatVector.fromByteBuffer(S, cr, ri + j, NATIVE))
                        .mul(ONE.sub(y.mul(y))).intoByteBuffer(dz, zi + j, NATIVE);
            }
        }
    }
}
