package org.d2l.rnn.nn;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.nativeblas.NativeOpsHolder;

/** ND4J's thread count, and a helper thread for the kernels that split a pass in two ({@link SequenceKernel#forEachPart}). */
final class NativeThreads {
    /** Daemon threads, made when first needed and kept while in use: a pass hands one task over. */
    private static final ExecutorService HELPERS = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "d2l-step-helper");
        t.setDaemon(true);
        return t;
    });

    private NativeThreads() {
    }

    /** ND4J's OpenMP threads, which the user sets with --threads (OMP_NUM_THREADS) and OpenBLAS follows. */
    static int count() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    /** Work over a range [from, to) of rows or columns. */
    interface Range {
        void run(int from, int to);
    }

    /**
     * {@code body} over [0, n): with {@code split}, in two halves at once ({@link #inParallel}), the first ending at a
     * multiple of {@code align} (whole vectors); on the caller in one piece when not, or when that first half would be
     * empty.
     */
    static void inHalves(boolean split, int n, int align, Range body) {
        int half = n / 2 - n / 2 % align;
        if (split && half > 0) {
            inParallel(() -> body.run(0, half), () -> body.run(half, n));
        } else {
            body.run(0, n);
        }
    }

    /** Callers inside {@link #inParallel} now. */
    private static final AtomicInteger SPLITTING = new AtomicInteger();

    /**
     * Runs {@code first} on the caller and {@code second} on a helper thread, and returns when both have ended; the
     * first failure of either is rethrown, after both ended (neither may touch the buffers once this returns). While
     * another thread is inside this call (data-parallel workers, each with its kernels), both run on the caller, one
     * after the other: one helper at most, so that N workers on N cores do not become 2N busy threads.
     */
    static void inParallel(Runnable first, Runnable second) {
        try {
            if (SPLITTING.incrementAndGet() > 1) {
                first.run();
                second.run();
            } else {
                onTwoThreads(first, second);
            }
        } finally {
            SPLITTING.decrementAndGet();
        }
    }

    private static void onTwoThreads(Runnable first, Runnable second) {
        CompletableFuture<Void> helper = CompletableFuture.runAsync(second, HELPERS);
        Throwable failure = null;
        try {
            first.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        try {
            helper.join();
        } catch (CompletionException e) {
            if (failure == null) {
                failure = e.getCause() != null ? e.getCause() : e;
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error err) {
            throw err;
        }
    }
}
