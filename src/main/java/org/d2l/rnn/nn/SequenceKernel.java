package org.d2l.rnn.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the fused recurrent kernels ({@link RnnKernel}, {@link GruKernel}, {@link LstmKernel}) share: one input
 * shape, time-major buffers (row {@code t*batch + i} = sample i at step t, so a step is a contiguous row block and
 * whole-sequence work is one matmul), the per-step row views made once (an {@code INDArray.get} costs ~13 us, more
 * than an elementwise op on a step), the input copy and the hidden states h_0 .. h_T. Buffers are made in the
 * caller's workspace scope (the layers scope out of workspaces) and reused while the shape stays. Matmuls go
 * through {@link Blas}, the elementwise work of a step through one {@link StepMath} call.
 *
 * <p>Every buffer a kernel makes is {@link #buffer owned} and freed by {@link #release()}: when the input's shape
 * changes (a generation step, the undetached path's growing sequences, a last short minibatch) the layer drops the
 * kernel for a new one, and ND4J would otherwise free the old buffers only when the garbage collector happens to
 * find their small Java objects — with -Xmx1g the undetached path held ~150 MiB of such buffers per epoch.
 */
abstract class SequenceKernel {
    protected final long steps;
    protected final long batch;
    protected final long nIn;
    protected final long hidden;
    protected final DataType dataType;
    protected final INDArray x;            // [T*B, nIn]
    protected final INDArray hiddenStates; // [(T+1)*B, H]: h_0 .. h_T
    protected final INDArray[] hStep;
    protected final HostBuffers host = new HostBuffers();
    protected final Blas blas = new Blas(host);
    protected final StepMath math;
    private final INDArray outputRows;     // [T*B, H] view of h_1 .. h_T
    private final INDArray outputView;     // [B, H, T] view of the same
    private INDArray forwardInput;
    private final TimeMajor.RowsViewCache inputView = new TimeMajor.RowsViewCache();
    /** Whether the sequence is read, and handed back, in reversed time (the backward half of a bidirectional layer). */
    private boolean reversed;
    private INDArray ones;
    private INDArray sums;
    /** x's one-hot rows, where the input is a wide vocabulary's tokens ({@link #inputProjection}); null: dense only. */
    private SparseRows inputRows;
    private INDArray rowMajorWeights;   // W [nIn, G] with contiguous rows, for the row copies
    private long rowMajorSession;       // the InferenceSession it was copied in (0: none), and from what
    private InferenceSession.Source rowMajorFrom;
    private INDArray rowMajorGradient;  // dL/dW [nIn, G] with contiguous rows, for the row adds
    private final List<INDArray> owned = new ArrayList<>();

    SequenceKernel(INDArray input, long hidden, DataType dataType) {
        this.steps = input.size(2);
        this.batch = input.size(0);
        this.nIn = input.size(1);
        this.hidden = hidden;
        this.dataType = dataType;
        this.math = StepMath.forType(dataType, hidden);
        x = buffer(steps * batch, nIn);
        hiddenStates = buffer((steps + 1) * batch, hidden);
        hStep = rowBlocks(hiddenStates, steps + 1);
        outputRows = hiddenStates.get(interval(batch, (steps + 1) * batch), all());
        outputView = TimeMajor.sequence(outputRows, batch);
        // with one-hot rows x W and xᵀ dZ are row copies and row adds: at d2l-zh's Jay Chou vocabulary (1,028
        // columns) they were the costliest matmuls of a step; at the Time Machine's 28 columns sgemm still took 4.4
        // of 50 ms of an LSTM-256 iteration for them (inputs narrower than a vector stay on sgemm)
        if (nIn >= SPARSE_MIN_INPUTS && dataType == DataType.FLOAT && VectorSupport.AVAILABLE && HostBuffers.CPU) {
            inputRows = SparseRows.of(host, x, x, x);
        }
        whole = new Part(0, batch, null);
    }

    /** Fewest input columns for which one-hot rows are looked for. */
    static final int SPARSE_MIN_INPUTS = 16;
    /**
     * Fewest rows (steps × batch) for which they are outside an {@link InferenceSession}. Why: the row copies need W
     * with contiguous rows, a copy of all of W per pass, which a generation step (one row) paid per character: greedy
     * LSTM-256 generation ran at 2.5-3.7k chars/s that way against 2.8-5.5k on sgemm. In a session the copy is made
     * once.
     */
    static final int SPARSE_MIN_ROWS = 64;

    /**
     * {@code out} = x·W + b (all steps' input projections, [T·B, G]): where every row of x has a single non-zero (a
     * token of a wide vocabulary), rows of W are copied instead of multiplying zeros ({@link SparseRows}).
     */
    protected final void inputProjection(INDArray w, INDArray bias, INDArray out) {
        if (inputRows != null && (steps * batch >= SPARSE_MIN_ROWS || InferenceSession.currentId() != 0)
                && PlanKernels.dense(out) && PlanKernels.dense(bias) && bias.length() == out.size(1)
                && inputRows.gather(rowMajor(w), bias, out, splitting())) {
            return;
        }
        blas.gemmPlusRow(x, false, w, false, bias, out);
    }

    /** dL/dW = xᵀ·dZ over all steps; with one-hot rows of x, row adds ({@link #inputProjection}). */
    protected final void inputWeightGradient(INDArray dZ, INDArray dW) {
        if (inputRows != null && PlanKernels.dense(dZ)) {
            boolean direct = dW.ordering() == 'c' && PlanKernels.dense(dW);
            if (!direct && rowMajorGradient == null) {
                rowMajorGradient = buffer(dW.size(0), dW.size(1));
            }
            INDArray target = direct ? dW : rowMajorGradient;
            if (inputRows.scatter(dZ, target, 0, splitting())) {
                if (!direct) {
                    dW.assign(target);
                }
                return;
            }
        }
        blas.gemm(x, true, dZ, false, dW, 1.0, 0.0);
    }

    /** {@code w}, or a copy with contiguous rows (DL4J's weights are 'f'), made once per pass or per session. */
    private INDArray rowMajor(INDArray w) {
        if (w.ordering() == 'c' && PlanKernels.dense(w)) {
            return w;
        }
        long session = InferenceSession.currentId();
        if (session != 0 && session == rowMajorSession && rowMajorFrom.same(w)) {
            return rowMajorWeights;
        }
        if (rowMajorWeights == null) {
            rowMajorWeights = buffer(w.size(0), w.size(1));
        }
        rowMajorWeights.assign(w);
        rowMajorSession = session;
        rowMajorFrom = session == 0 ? null : InferenceSession.Source.of(w);
        return rowMajorWeights;
    }

    /**
     * Writes the start state {@code state} into {@code target}; null means zeros (no array made for them). A memory
     * copy, not ND4J's assign op: a generation step pays for every op it runs.
     */
    protected final void startFrom(INDArray target, INDArray state) {
        if (state == null) {
            target.assign(0);
        } else {
            // a reshape makes a new array (~10 us with ND4J's shape information): only where the shape differs
            host.copyRows(java.util.Arrays.equals(state.shape(), target.shape()) ? state : state.reshape(target.shape()),
                    target, batch, false);
        }
    }

    /** Whether this kernel's buffers fit {@code input} [B, nIn, T] for this hidden size and data type. */
    boolean fits(INDArray input, long hidden, DataType dataType) {
        return steps == input.size(2) && batch == input.size(0) && nIn == input.size(1) && this.hidden == hidden
                && this.dataType == dataType;
    }

    protected final INDArray stepBuffer() {
        return buffer(steps * batch, hidden);
    }

    /** A [rows, columns] buffer of this kernel, freed by {@link #release()}. */
    protected final INDArray buffer(long rows, long columns) {
        INDArray b = Nd4j.create(dataType, rows, columns);
        owned.add(b);
        return b;
    }

    /**
     * Frees every buffer of this kernel now; the kernel must not be used after. Views of its buffers handed out
     * ({@link #output()}, {@link #lastHidden()}) die with them: the layers copy what outlives a pass.
     */
    void release() {
        for (INDArray b : owned) {
            if (b.closeable()) {
                b.close();
            }
        }
        owned.clear();
        forwardInput = null;
        inputView.clear();
    }

    /** {@code previous} if it fits {@code input}, else null after releasing it (the caller makes a new kernel). */
    static <K extends SequenceKernel> K reusable(K previous, INDArray input, long hidden, DataType dataType) {
        if (previous == null || previous.fits(input, hidden, dataType)) {
            return previous;
        }
        previous.release();
        return null;
    }

    protected final INDArray[] rowBlocks(INDArray buffer, long count) {
        return stepBlocks(buffer, count, 0, batch, 0, buffer.size(1));
    }

    /** Rows {@code fromRow .. toRow} and columns {@code fromColumn .. toColumn} of each of {@code count} step blocks. */
    private INDArray[] stepBlocks(INDArray buffer, long count, long fromRow, long toRow, long fromColumn,
                                  long toColumn) {
        INDArray[] blocks = new INDArray[(int) count];
        for (int t = 0; t < count; t++) {
            blocks[t] = buffer.get(interval(t * batch + fromRow, t * batch + toRow), interval(fromColumn, toColumn));
        }
        return blocks;
    }

    /**
     * A weight matrix packed for the steps of one pass ({@link PackedGemm}): op({@code w}) packed if that pays, for
     * {@code stepsInPass} products of {@link #batch} rows; {@link #stepProduct} then uses it.
     */
    protected final PackedGemm packedForSteps(PackedGemm packed, INDArray w, boolean transW, long stepsInPass) {
        packed.packs(w, transW, stepsInPass, batch);
        return packed;
    }

    /** One step's c = a·op(w) (+ c if {@code accumulate}): the packed loop when {@code packed} holds op(w), else BLAS. */
    protected final void stepProduct(PackedGemm packed, INDArray a, INDArray w, boolean transW, INDArray c,
                                     boolean accumulate) {
        if (!packed.multiply(a, c, accumulate)) {
            blas.gemm(a, false, w, transW, c, 1.0, accumulate ? 1.0 : 0.0);
        }
    }

    /** {@link #stepProduct} for rows of one {@link Part} (its thread's scratch; halves only run packed). */
    protected final void stepProduct(Part part, PackedGemm packed, INDArray a, INDArray w, boolean transW, INDArray c,
                                     boolean accumulate) {
        if (part == whole) {
            stepProduct(packed, a, w, transW, c, accumulate);
        } else if (!packed.multiply(a, c, accumulate, part.scratch)) {
            throw new IllegalStateException("a half of the batch runs on the packed loop only");
        }
    }

    /**
     * Threads that step through a pass side by side, each over its part of the batch ({@link #forEachPart}); 0 (the
     * default) follows ND4J's thread count, 1 turns the split off (A/B benchmarks: -Dd2l.stepThreads=1). Tests set it.
     */
    static volatile int stepThreads = Integer.getInteger("d2l.stepThreads", 0);
    /** Passes that ran split in this JVM: tests check that the split really ran. */
    static final java.util.concurrent.atomic.AtomicLong SPLIT_PASSES = new java.util.concurrent.atomic.AtomicLong();
    /** Fewest rows in a batch for a split: two 8-row blocks of the packed loop each. */
    static final int SPLIT_MIN_BATCH = 32;

    /** The whole batch: the kernel's own step math and the packed product's own scratch. */
    protected final Part whole;
    private Part[] halves;

    /**
     * Rows {@code from .. to} of the batch, stepped through by one thread: its own step math and product scratch (both
     * keep Java arrays and host views that one thread at a time may use).
     */
    protected final class Part {
        final long from;
        final long to;
        final StepMath math;
        final PackedGemm.Scratch scratch;

        /** {@code partHost} null: the whole batch, with the kernel's own step math and the products' own scratch. */
        private Part(long from, long to, HostBuffers partHost) {
            this.from = from;
            this.to = to;
            this.math = partHost == null ? SequenceKernel.this.math : StepMath.forType(dataType, hidden);
            this.scratch = partHost == null ? null : new PackedGemm.Scratch(partHost);
        }

        /** This part's rows of each of the first {@code count} step blocks of a time-major buffer. */
        INDArray[] steps(INDArray buffer, long count) {
            return steps(buffer, count, 0, buffer.size(1));
        }

        /** The same, of columns {@code fromColumn .. toColumn} only (a gate block). */
        INDArray[] steps(INDArray buffer, long count, long fromColumn, long toColumn) {
            return stepBlocks(buffer, count, from, to, fromColumn, toColumn);
        }

        /** This part's rows of a [B, n] buffer. */
        INDArray rows(INDArray batchRows) {
            return this == whole ? batchRows : batchRows.get(interval(from, to), all());
        }
    }

    /**
     * The parts of the batch a pass runs in ({@link #forEachPart}): two halves where ND4J runs two threads or more, the
     * batch has {@value #SPLIT_MIN_BATCH} rows or more and the step products of the pass run on the packed loop
     * (each of {@code packed} ready) with the vector step math; else the whole batch.
     *
     * <p>Why: a sample's steps depend only on its own earlier steps, so the halves need no synchronisation until the
     * pass ends, and each row gets the same operations in the same order as without the split: the same numbers
     * (tested). Splitting each step's product instead (one hand-off per step, 70 an iteration) gained nothing in
     * training (PROFILE.md round 11). Two threads at [16, 256] × [256, 1024] each ran 105-126 GFLOP/s against 51-105
     * for one thread at [32, 256] (round 12).
     */
    protected final Part[] parts(PackedGemm... packed) {
        boolean allPacked = java.util.Arrays.stream(packed).allMatch(PackedGemm::ready);
        if (!splitting() || !allPacked) {
            return new Part[]{whole};
        }
        if (halves == null) {
            long half = (batch / 2 + 7) / 8 * 8; // whole 8-row blocks in the first half where the batch allows
            halves = new Part[]{new Part(0, half, new HostBuffers()), new Part(half, batch, new HostBuffers())};
        }
        return halves;
    }

    /**
     * Whether a pass's work runs on two threads ({@link #parts}; the one-hot row copies and adds and the bias
     * gradient's column sums, in row or column halves): two threads or more, a batch of {@value #SPLIT_MIN_BATCH} rows
     * or more, the vector step math. On two threads the caller did these alone: 12% of its samples in an lstm256
     * profile (PROFILE.md round 12).
     */
    protected final boolean splitting() {
        int threads = stepThreads > 0 ? stepThreads : NativeThreads.count();
        return threads >= 2 && batch >= SPLIT_MIN_BATCH && math instanceof VectorStepMath;
    }

    /**
     * Runs {@code body} for each of {@code parts} ({@link #parts}) with that part's views: two at once on the caller
     * and a helper thread. The views are made first, on the caller (the helper has no workspace): the body must not
     * make ND4J arrays.
     */
    protected final <V> void forEachPart(Part[] parts, PartViews<V> views, java.util.function.BiConsumer<Part, V> body) {
        if (parts.length == 1) {
            body.accept(parts[0], views.of(parts[0]));
            return;
        }
        V first = views.of(parts[0]);
        V second = views.of(parts[1]);
        SPLIT_PASSES.incrementAndGet();
        NativeThreads.inParallel(() -> body.accept(parts[0], first), () -> body.accept(parts[1], second));
    }

    /** One kernel's views of its buffers for each {@link Part}, made when a part is first used and kept. */
    protected static final class PartViews<V> {
        private final java.util.Map<Part, V> made = new java.util.HashMap<>();
        private final java.util.function.Function<Part, V> make;

        PartViews(java.util.function.Function<Part, V> make) {
            this.make = make;
        }

        V of(Part part) {
            return made.computeIfAbsent(part, make);
        }
    }

    /** Columns {@code gate*H .. (gate+1)*H} of a gate-blocked matrix. */
    protected final INDArray gateBlock(INDArray matrix, int gate) {
        return matrix.get(all(), interval(gate * hidden, (gate + 1) * hidden));
    }

    /**
     * Runs the following passes in reversed time: the input is read from its last step to its first, and the
     * activations and dL/dInput are handed back in the input's own time order. The buffers stay in processing order.
     */
    void setTimeReversed(boolean reversed) {
        this.reversed = reversed;
    }

    /** Copies {@code input} [B, nIn, T] into the time-major {@link #x} and remembers which array it was. */
    protected final void loadInput(INDArray input) {
        forwardInput = input;
        INDArray view = inputView.of(input);
        if (view != null) {
            host.copyRows(view, x, batch, reversed);
        } else {
            TimeMajor.copy(input, x, reversed, host);
        }
    }

    /** Copies dL/dh {@code epsilon} [B, H, T] into the time-major {@code dY} [T*B, H], in processing order. */
    protected final void loadEpsilon(INDArray epsilon, INDArray dY) {
        TimeMajor.copy(epsilon, dY, reversed, host);
    }

    /**
     * h_1 .. h_T copied into DL4J's activation workspace, as a [B, H, T] time-major view in the input's time order. In
     * an {@link InferenceSession} the kernel's own buffer instead, through the view made once: the next layer reads it
     * before the next pass overwrites it, and a generation step then makes no array here.
     */
    INDArray activations(LayerWorkspaceMgr mgr) {
        if (!reversed && InferenceSession.currentId() != 0) {
            return outputView;
        }
        INDArray rows = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, outputRows.shape(), 'c');
        host.copyRows(outputRows, rows, batch, reversed);
        return TimeMajor.sequence(rows, batch);
    }

    /** dL/dInput {@code dX} (a kernel's [B, nIn, T] result) copied into DL4J's gradient workspace, in the input's time order. */
    INDArray inputGradient(LayerWorkspaceMgr mgr, INDArray dX) {
        INDArray rows = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[]{steps * batch, nIn}, 'c');
        return TimeMajor.sequence(TimeMajor.copy(dX, rows, reversed, host), batch);
    }

    /** h_{t-1} of every step t, [T*B, H]. */
    protected final INDArray previousHiddenStates() {
        return hiddenStates.get(interval(0, steps * batch), all());
    }

    /**
     * Column sums of {@code m} [T*B, n] into {@code target} (n values, any shape). On the vector API one pass adds the
     * rows up: the BLAS call with a ones row it replaces (itself replacing ND4J's sum along dimension 0, 5% of a step)
     * took 2.1 ms of a 50 ms LSTM-256 training iteration, an sgemm with one row running at ~1 GFLOP/s.
     */
    protected final void sumRowsInto(INDArray m, INDArray target) {
        long rowBytes = m.size(1) * Float.BYTES;
        if (dataType == DataType.FLOAT && VectorSupport.AVAILABLE && HostBuffers.CPU && PlanKernels.dense(m)
                && PlanKernels.dense(target) && target.length() == m.size(1)
                && rowBytes % VectorStepMath.vectorBytes() == 0) {
            java.nio.ByteBuffer from = host.bytes(m);
            java.nio.ByteBuffer to = host.bytes(target);
            int mAt = PlanKernels.bytePosition(m);
            int tAt = PlanKernels.bytePosition(target);
            int rows = Math.toIntExact(m.size(0));
            int width = Math.toIntExact(rowBytes);
            // columns (in bytes) in two halves at once where splitting: each column's sum as on one thread
            NativeThreads.inHalves(splitting(), width, VectorStepMath.vectorBytes(), (first, end) ->
                    VectorStepMath.columnSums(from, mAt + first, rows, width, end - first, to, tAt + first));
            return;
        }
        if (ones == null) {
            ones = buffer(1, steps * batch).assign(1);
            sums = buffer(1, m.size(1));
        }
        target.assign(blas.gemm(ones, false, m, false, sums, 1.0, 0.0).reshape(target.shape()));
    }

    /** False: the backward pass leaves dL/dX out and returns null ({@link InputGradientOptional}). */
    protected boolean inputGradientNeeded = true;

    void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    /** Whether the forward buffers were computed from exactly this input array. */
    boolean computedFrom(INDArray input) {
        return forwardInput == input;
    }

    /** h_1 .. h_T as a [B, H, T] view (NCW, like the input). */
    INDArray output() {
        return outputView;
    }

    /** h_1 .. h_T as time-major rows [T·B, H] (a contiguous view). */
    INDArray outputRows() {
        return outputRows;
    }

    /** h_T, [B, H] view. */
    INDArray lastHidden() {
        return hStep[(int) steps];
    }
}
