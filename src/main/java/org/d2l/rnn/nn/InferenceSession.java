package org.d2l.rnn.nn;

import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stretch of forward passes on this thread during which nothing updates the parameters and the caller owns the
 * recurrent state {@code rnnTimeStep} stores (it reads it only through the network): generation's one-row steps.
 * The fused kernels then keep what they derive from the weights ({@link PackedGemm}'s packing, the row-major copy
 * of one-hot rows) from one pass to the next, and store each step's end state into the array the previous step
 * of the session stored, instead of a new one.
 *
 * <p>Why: a generation step is one row. OpenBLAS packs all of op(B) on every sgemm call, so the [1, 256] ×
 * [256, 1024] step product of an LSTM-256 moved 1 MiB per character, and ND4J makes every array with a native
 * allocation, shape information and a deallocator registration (~10 us each): before sessions, the two sgemm calls of a
 * character took 58% of the time of an LSTM-256 step and the copies of its end state 17% (PROFILE.md round 11).
 *
 * <p>Derived weights are valid for one session only: a later session packs again, so training between two
 * generations (the LM job's samples every few epochs) is always seen. Arrays of the stored state made during a session are overwritten
 * by its next step; a caller that wants one past the next step copies it.
 */
public final class InferenceSession implements AutoCloseable {
    private static final ThreadLocal<InferenceSession> CURRENT = new ThreadLocal<>();
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final InferenceSession outer;
    private final Thread thread = Thread.currentThread();

    private InferenceSession(InferenceSession outer) {
        this.outer = outer;
    }

    /** Opens a session on this thread; close it (try-with-resources) before the parameters change again. */
    public static InferenceSession open() {
        InferenceSession s = new InferenceSession(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** The innermost open session of this thread, or null. */
    static InferenceSession current() {
        return CURRENT.get();
    }

    /** The id of the innermost open session of this thread, or 0 (no session). */
    static long currentId() {
        InferenceSession s = CURRENT.get();
        return s == null ? 0 : s.id;
    }

    @Override
    public void close() {
        if (Thread.currentThread() != thread || CURRENT.get() != this) {
            throw new IllegalStateException("inference sessions close on their own thread, innermost first");
        }
        CURRENT.set(outer);
    }

    /**
     * Where a matrix's elements are, to tell whether something derived from it earlier in a session still belongs to
     * it: its buffer's address, offset, shape and strides.
     */
    record Source(long address, long offset, long[] shape, long[] stride) {
        static Source of(INDArray x) {
            return new Source(x.data().address(), x.offset(), x.shape(), x.stride());
        }

        boolean same(INDArray x) {
            return x.data().address() == address && x.offset() == offset
                    && java.util.Arrays.equals(x.shape(), shape) && java.util.Arrays.equals(x.stride(), stride);
        }
    }
}
