package org.d2l.rnn.nn;

import java.nio.ByteBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * C = A·op(B) (+ C) for a float matrix op(B) [K, N] that many products with few rows share: a recurrent kernel's
 * step, [B, H] × [H, G·H], 35 times a sequence with the same weights each way. op(B) is packed once into panels of
 * 32 columns (K rows of two 16-float vectors each, contiguous) and every product runs a register-blocked loop on the
 * vector API: 8 rows × 32 columns of C in 16 accumulators, one broadcast of A per row and step of K.
 *
 * <p>Why: OpenBLAS packs the whole of op(B) on every call, which at 32 rows costs as much as the arithmetic; measured
 * here at [32, 256] × [256, 1024] and [32, 1024] × [1024, 256] this loop ran at ~100-107 GFLOP/s against 52-94 for
 * OpenBLAS 0.3.19 and 0.3.21 (PROFILE.md round 9). Only with 16-float vectors (AVX-512: 32 registers hold the 16
 * accumulators, two B vectors and the broadcast), float data, N a multiple of 32 and at least 128 × 128
 * elements in op(B); callers fall back to {@link Blas} otherwise ({@link #packs}).
 *
 * <p>The sums run in K order with one fused multiply-add per term, so a seed gives the same numbers on every run, but
 * not OpenBLAS's numbers (its blocking sums in another order): within float rounding of them, tested.
 */
final class PackedGemm {
    /** Columns per panel: two vectors. */
    private static final int PANEL = 32;
    /** Rows of C per register block. */
    private static final int BLOCK = 8;
    /** Fewest rows, over all the products sharing one packing, for which packing pays. */
    static final int MIN_PACKED_ROWS = 256;
    /**
     * Fewest elements of op(B) for which packing pays: OpenBLAS repacks a small matrix cheaply, and d2l 9.7's
     * [32, 64] GRU weights ran 10% slower end to end packed (train-seq2seq 28.0 and 28.4 s against 26.2 and 24.8 s).
     */
    static final int MIN_PACKED_ELEMENTS = 128 * 128;
    /** Packings made in this JVM: tests check that the packed loop really ran. */
    static final java.util.concurrent.atomic.AtomicLong PACKINGS = new java.util.concurrent.atomic.AtomicLong();
    /** Off in tests that compare against the BLAS path, and with -Dd2l.packed=false for A/B benchmarks. */
    static volatile boolean enabled = !"false".equals(System.getProperty("d2l.packed"));

    private final HostBuffers host;
    private final Scratch own;
    private float[] packed = new float[0];
    private float[] staged = new float[0];
    private int k;
    private int n;
    private boolean ready;
    /** The {@link InferenceSession} the packing was made in (0: none), and what it was made from. */
    private long packedInSession;
    private boolean packedTransposed;
    private InferenceSession.Source packedFrom;

    PackedGemm(HostBuffers host) {
        this.host = host;
        this.own = new Scratch(host);
    }

    /**
     * What one thread's {@link #multiply} calls use of their own, so that two threads can multiply with one packing
     * (the two halves of a batch, {@link SequenceKernel#forEachPart}): A's rows and C as Java arrays, and the host views
     * (HostBuffers caches them in a map that is not thread-safe).
     */
    static final class Scratch {
        private final HostBuffers host;
        private float[] rows = new float[0];
        /**
         * C while the loop runs: the loop reads and writes Java arrays only. With C in a direct ByteBuffer, C2 now and
         * then compiled the loop with its 16 vector stores not intrinsified (JDK 17: "VectorSupport::store failed to
         * inline (intrinsic)", "missing constant: vclass=DecodeN"), every vector then boxed: in about 1 JVM in 4 the
         * LSTM-256 bench ran at 3.1-3.9k tokens/s instead of 17-29k for the whole run (PROFILE.md round 10).
         */
        private float[] out = new float[0];

        Scratch(HostBuffers host) {
            this.host = host;
        }
    }

    /** Whether the last {@link #packs} call packed (so that {@link #multiply} can run). */
    boolean ready() {
        return ready;
    }

    /** Whether this JVM and machine run the packed loop at all (vector module, 16 float lanes, host memory). */
    static boolean available() {
        return enabled && VectorSupport.AVAILABLE && HostBuffers.CPU && Kernel.LANES == 16;
    }

    /**
     * Packs op(b) for the {@code products} following {@link #multiply} calls of {@code rows} rows each; false (and
     * nothing packed) when the packed loop does not apply or would not pay: not {@link #available()}, not float,
     * op(b) with a column count that is not a multiple of 32, or fewer than {@value #MIN_PACKED_ROWS} rows in all
     * (packing moves as many floats as a product with one row multiplies) outside an {@link InferenceSession}. In one,
     * the packing of the same op(b) is kept for every later call of the session.
     */
    boolean packs(INDArray b, boolean transB, long products, long rows) {
        long session = InferenceSession.currentId();
        if (ready && session != 0 && session == packedInSession && transB == packedTransposed && packedFrom.same(b)) {
            return true; // the same weights, packed earlier in this session
        }
        ready = false;
        packedInSession = 0;
        // in a session the packing serves every later pass as well, so one-row products pack too
        if ((session == 0 && products * rows < MIN_PACKED_ROWS) || !available() || b.dataType() != DataType.FLOAT
                || b.rank() != 2 || !HostBuffers.hostFloatOrDouble(b)) {
            return false;
        }
        int opRows = (int) (transB ? b.size(1) : b.size(0));
        int opCols = (int) (transB ? b.size(0) : b.size(1));
        if (opCols % PANEL != 0 || opRows == 0 || (long) opRows * opCols < MIN_PACKED_ELEMENTS) {
            return false;
        }
        // op(b)(r, c) sits at rowStride * r + colStride * c past b's offset
        long rowStride = transB ? b.stride(1) : b.stride(0);
        long colStride = transB ? b.stride(0) : b.stride(1);
        long span = (opRows - 1) * rowStride + (opCols - 1) * colStride + 1;
        if (span > Integer.MAX_VALUE) {
            return false;
        }
        if (staged.length < span) {
            staged = new float[(int) span];
        }
        ByteBuffer bytes = host.bytes(b);
        bytes.asFloatBuffer().get((int) b.offset(), staged, 0, (int) span);
        if (packed.length < opRows * opCols) {
            packed = new float[opRows * opCols];
        }
        k = opRows;
        n = opCols;
        int rs = (int) rowStride;
        int cs = (int) colStride;
        for (int p = 0; p < n; p += PANEL) {
            int base = p * k;
            if (rs == 1) { // columns contiguous (a DL4J 'f' weight): read down each column
                for (int j = 0; j < PANEL; j++) {
                    int from = (p + j) * cs;
                    for (int r = 0; r < k; r++) {
                        packed[base + r * PANEL + j] = staged[from + r];
                    }
                }
            } else if (cs == 1) { // rows contiguous (the transpose of an 'f' weight): one copy per panel row, which
                // took the LSTM-256's backward packing from 519-544 to 288-320 us (PROFILE.md round 14)
                for (int r = 0; r < k; r++) {
                    System.arraycopy(staged, r * rs + p, packed, base + r * PANEL, PANEL);
                }
            } else {
                for (int r = 0; r < k; r++) {
                    int from = r * rs + p * cs;
                    for (int j = 0; j < PANEL; j++) {
                        packed[base + r * PANEL + j] = staged[from + j * cs];
                    }
                }
            }
        }
        ready = true;
        if (session != 0) {
            packedInSession = session;
            packedTransposed = transB;
            packedFrom = InferenceSession.Source.of(b);
        }
        PACKINGS.incrementAndGet();
        return true;
    }

    /**
     * c = a · op(b) of the last {@link #packs} (+ c if {@code accumulate}); a [M, K] and c [M, N] float host
     * matrices with unit column stride. False (nothing written) when they are not, so the caller uses BLAS.
     */
    boolean multiply(INDArray a, INDArray c, boolean accumulate) {
        return multiply(a, c, accumulate, own);
    }

    /**
     * {@link #multiply(INDArray, INDArray, boolean)} with another thread's scratch; threads may multiply at once
     * with one packing, as long as none packs meanwhile.
     */
    boolean multiply(INDArray a, INDArray c, boolean accumulate, Scratch scratch) {
        if (!ready || a.rank() != 2 || c.rank() != 2 || a.size(1) != k || c.size(1) != n || a.size(0) != c.size(0)
                || a.dataType() != DataType.FLOAT || c.dataType() != DataType.FLOAT
                || (a.stride(1) != 1 && a.size(1) > 1) || (c.stride(1) != 1 && c.size(1) > 1)
                || !HostBuffers.hostFloatOrDouble(a) || !HostBuffers.hostFloatOrDouble(c)) {
            return false;
        }
        int m = (int) a.size(0);
        if (m == 0) {
            return true;
        }
        Scratch s = scratch;
        if (s.rows.length < m * k) {
            s.rows = new float[m * k];
        }
        if (s.out.length < m * n) {
            s.out = new float[m * n];
        }
        s.host.rowsToArray(a, s.rows, 0);
        if (accumulate) {
            s.host.rowsToArray(c, s.out, 0);
        }
        Kernel.run(s.rows, packed, k, n, s.out, m, accumulate);
        s.host.rowsFromArray(s.out, 0, c);
        return true;
    }

    /** The vector loops, in their own class so that nothing touches the vector module unless it is there. */
    static final class Kernel {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        static final int LANES = S.length();
        private static final int H = 16; // floats per vector, the second half of a panel

        private Kernel() {
        }

        /**
         * C2 must compile these loops: the vector API's operations are Java fallbacks everywhere else, ~35x slower.
         * So the hot loops are small methods of their own that C2 compiles after a few hundred calls (an earlier
         * single 1.2 KB method failed C1's register allocation, stayed at tier 2 and never reached C2 in a
         * seq2seq run: half its speed), with accumulators in locals and no helper calls inside (see
         * {@link VectorStepMath} on why). C is [m, n] row-major in {@code c}.
         */
        static void run(float[] a, float[] packed, int k, int n, float[] c, int m, boolean accumulate) {
            int blocked = m - m % BLOCK;
            for (int p = 0; p < n; p += PANEL) {
                int panel = p * k;
                for (int i = 0; i < blocked; i += BLOCK) {
                    block(a, i * k, packed, panel, k, c, i * n + p, n, accumulate);
                }
                for (int i = blocked; i < m; i++) { // the rows left over, one at a time
                    row(a, i * k, packed, panel, k, c, i * n + p, accumulate);
                }
            }
        }

        /** 8 rows × 32 columns of C from rows a0.. of A and one panel: 16 accumulators. */
        private static void block(float[] a, int a0, float[] packed, int panel, int k, float[] c, int r0, int n,
                                  boolean accumulate) {
            int r1 = r0 + n;
            int r2 = r1 + n;
            int r3 = r2 + n;
            int r4 = r3 + n;
            int r5 = r4 + n;
            int r6 = r5 + n;
            int r7 = r6 + n;
            FloatVector c00;
            FloatVector c01;
            FloatVector c10;
            FloatVector c11;
            FloatVector c20;
            FloatVector c21;
            FloatVector c30;
            FloatVector c31;
            FloatVector c40;
            FloatVector c41;
            FloatVector c50;
            FloatVector c51;
            FloatVector c60;
            FloatVector c61;
            FloatVector c70;
            FloatVector c71;
            if (accumulate) {
                c00 = FloatVector.fromArray(S, c, r0);
                c01 = FloatVector.fromArray(S, c, r0 + H);
                c10 = FloatVector.fromArray(S, c, r1);
                c11 = FloatVector.fromArray(S, c, r1 + H);
                c20 = FloatVector.fromArray(S, c, r2);
                c21 = FloatVector.fromArray(S, c, r2 + H);
                c30 = FloatVector.fromArray(S, c, r3);
                c31 = FloatVector.fromArray(S, c, r3 + H);
                c40 = FloatVector.fromArray(S, c, r4);
                c41 = FloatVector.fromArray(S, c, r4 + H);
                c50 = FloatVector.fromArray(S, c, r5);
                c51 = FloatVector.fromArray(S, c, r5 + H);
                c60 = FloatVector.fromArray(S, c, r6);
                c61 = FloatVector.fromArray(S, c, r6 + H);
                c70 = FloatVector.fromArray(S, c, r7);
                c71 = FloatVector.fromArray(S, c, r7 + H);
            } else {
                c00 = FloatVector.zero(S);
                c01 = c00;
                c10 = c00;
                c11 = c00;
                c20 = c00;
                c21 = c00;
                c30 = c00;
                c31 = c00;
                c40 = c00;
                c41 = c00;
                c50 = c00;
                c51 = c00;
                c60 = c00;
                c61 = c00;
                c70 = c00;
                c71 = c00;
            }
            for (int r = 0; r < k; r++) {
                int bi = panel + r * PANEL;
                FloatVector b0 = FloatVector.fromArray(S, packed, bi);
                FloatVector b1 = FloatVector.fromArray(S, packed, bi + 16);
                int ai = a0 + r;
                FloatVector x = FloatVector.broadcast(S, a[ai]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(S, a[ai + k]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(S, a[ai + 2 * k]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(S, a[ai + 3 * k]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                x = FloatVector.broadcast(S, a[ai + 4 * k]);
                c40 = x.fma(b0, c40);
                c41 = x.fma(b1, c41);
                x = FloatVector.broadcast(S, a[ai + 5 * k]);
                c50 = x.fma(b0, c50);
                c51 = x.fma(b1, c51);
                x = FloatVector.broadcast(S, a[ai + 6 * k]);
                c60 = x.fma(b0, c60);
                c61 = x.fma(b1, c61);
                x = FloatVector.broadcast(S, a[ai + 7 * k]);
                c70 = x.fma(b0, c70);
                c71 = x.fma(b1, c71);
            }
            c00.intoArray(c, r0);
            c01.intoArray(c, r0 + H);
            c10.intoArray(c, r1);
            c11.intoArray(c, r1 + H);
            c20.intoArray(c, r2);
            c21.intoArray(c, r2 + H);
            c30.intoArray(c, r3);
            c31.intoArray(c, r3 + H);
            c40.intoArray(c, r4);
            c41.intoArray(c, r4 + H);
            c50.intoArray(c, r5);
            c51.intoArray(c, r5 + H);
            c60.intoArray(c, r6);
            c61.intoArray(c, r6 + H);
            c70.intoArray(c, r7);
            c71.intoArray(c, r7 + H);
        }

        /** One row × 32 columns of C. */
        private static void row(float[] a, int a0, float[] packed, int panel, int k, float[] c, int r0,
                                boolean accumulate) {
            FloatVector s0 = accumulate ? FloatVector.fromArray(S, c, r0) : FloatVector.zero(S);
            FloatVector s1 = accumulate ? FloatVector.fromArray(S, c, r0 + H) : FloatVector.zero(S);
            for (int r = 0; r < k; r++) {
                int bi = panel + r * PANEL;
                FloatVector x = FloatVector.broadcast(S, a[a0 + r]);
                s0 = x.fma(FloatVector.fromArray(S, packed, bi), s0);
                s1 = x.fma(FloatVector.fromArray(S, packed, bi + 16), s1);
            }
            s0.intoArray(c, r0);
            s1.intoArray(c, r0 + H);
        }
    }
}
