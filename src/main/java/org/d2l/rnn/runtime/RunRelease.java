package org.d2l.rnn.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back, once a run has ended, the memory the JVM still holds for it: its garbage on the Java heap, the heap
 * that the run made the garbage collector grow, and what ND4J frees only when the collector finds an array's Java
 * object. Called between the runs of one JVM (an exercise's variants), never inside a training loop.
 *
 * <p>Why: {@link org.d2l.rnn.models.Networks#release} frees what a network holds outside the heap, but the heap
 * itself stayed where run 1 had grown it. Measured on {@code run exercise-clipping} ({@code -Xmx1g}, with
 * {@code -XX:NativeMemoryTracking=summary} and {@link MemoryProbe}): run 2 started 158 MiB above run 1's 218 MiB
 * baseline, runs 3-5 67-86 MiB above it. The committed heap was 34 MiB larger (G1 grows it under a run's
 * allocation rate and gives it back only at a full collection or a concurrent cycle's remark, which back-to-back runs
 * may never reach; -XX:G1PeriodicGCInterval fires only in an idle JVM), and when run 2 started another 86 MiB were
 * regions G1 had shrunk but not yet uncommitted (its service thread does that from 100 ms after a collection, in
 * 128 MiB steps). The rest was the JVM's one-time warm-up (code and class metadata +21 MiB, symbols +2), not memory
 * a run holds. One full collection when a run has ended, with the default Min/MaxHeapFreeRatio (40/70), brings the
 * heap back to 110 MiB committed (run 1 started at 100-120) in 30-90 ms, and the resident set settles 260-570 ms
 * later; runs 2-5 then start within +0.4..+6.6% of run 1's baseline (+21..+49% before). Everything the run allocated
 * is unreachable by then, so the collection copies only what the JVM and the next run keep. This is the
 * {@code System.gc()} issue 16 forbids inside the training loop, here once per run after it ended, where it is the
 * only way to make the JVM return the heap the run grew.
 *
 * <p>With the default ratios that collection shrinks the heap only where more than 70% of it is free afterwards;
 * in later runs of exercise-clipping the heap stayed at 134-154 MiB committed (run 1 started at 130), so the
 * baselines moved with wherever the previous run had left it. For the one release collection the two manageable
 * flags are set to {@value #RELEASE_MIN_FREE}/{@value #RELEASE_MAX_FREE}% (the heap shrinks to what the JVM still
 * holds plus 10%), then put back, so that training keeps the JVM's defaults.
 */
public final class RunRelease {
    private static final Logger LOG = LoggerFactory.getLogger(RunRelease.class);
    private static final double MIB = 1048576.0;
    /** G1 uncommits shrunk regions from 100 ms after a collection, in 10 ms steps of 128 MiB (JDK 17). */
    private static final long QUIET_MS = 250;
    /** The longest wait for the resident set to stop falling, on a busy machine. */
    private static final long MAX_WAIT_MS = 2000;
    private static final long POLL_MS = 20;
    private static final AtomicInteger RELEASES = new AtomicInteger();
    /** Min/MaxHeapFreeRatio for the release collection only. */
    static final int RELEASE_MIN_FREE = 0;
    static final int RELEASE_MAX_FREE = 10;

    private RunRelease() {
    }

    /** What one release gave back, and what it cost. */
    public record Released(double heapCommittedBeforeMib, double heapCommittedAfterMib, double residentBeforeMib,
                           double residentAfterMib, double gcMillis, double waitMillis) {
    }

    /**
     * Collects the ended run's garbage (one full collection, which also shrinks the heap the run grew), waits until
     * the resident set stops falling (G1 uncommits the freed regions and ND4J's deallocator frees the native buffers
     * of collected arrays in the background; at most 2 s), then gives glibc's free memory back. Nothing of the run may
     * be used after.
     */
    public static Released giveBack() {
        Runtime rt = Runtime.getRuntime();
        double heapBefore = rt.totalMemory() / MIB;
        double residentBefore = Pointer.physicalBytes() / MIB;
        long t0 = System.nanoTime();
        collectAndShrink(); // once per run, after it ended: see the class comment
        long t1 = System.nanoTime();
        long lowest = Pointer.physicalBytes();
        long lastDrop = t1;
        while (true) {
            long now = System.nanoTime();
            if ((now - lastDrop) / 1_000_000 >= QUIET_MS || (now - t1) / 1_000_000 >= MAX_WAIT_MS) {
                break;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long rss = Pointer.physicalBytes();
            if (rss < lowest - (1L << 20)) {
                lastDrop = System.nanoTime();
            }
            lowest = Math.min(lowest, rss);
        }
        NativeRuntime.trimNativeHeap();
        long t2 = System.nanoTime();
        Released r = new Released(heapBefore, rt.totalMemory() / MIB, residentBefore, Pointer.physicalBytes() / MIB,
                (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        RELEASES.incrementAndGet();
        LOG.info(String.format("run ended: heap committed %.0f → %.0f MiB, resident set %.0f → %.0f MiB (collection "
                        + "%.0f ms, then %.0f ms until the resident set stopped falling)", r.heapCommittedBeforeMib(),
                r.heapCommittedAfterMib(), r.residentBeforeMib(), r.residentAfterMib(), r.gcMillis(), r.waitMillis()));
        return r;
    }

    /**
     * One full collection with the heap free ratios lowered (see the class comment), then the JVM's values back.
     * Where the flags cannot be set (another JVM), the collection alone.
     */
    private static void collectAndShrink() {
        com.sun.management.HotSpotDiagnosticMXBean vm = null;
        String min = null;
        String max = null;
        try {
            vm = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            min = vm.getVMOption("MinHeapFreeRatio").getValue();
            max = vm.getVMOption("MaxHeapFreeRatio").getValue();
            vm.setVMOption("MinHeapFreeRatio", String.valueOf(RELEASE_MIN_FREE)); // min <= max at every step
            vm.setVMOption("MaxHeapFreeRatio", String.valueOf(RELEASE_MAX_FREE));
        } catch (RuntimeException e) {
            LOG.debug("heap free ratios not settable, collecting with the JVM's: {}", e.toString());
        }
        try {
            System.gc();
        } finally {
            if (vm != null && max != null) {
                try {
                    vm.setVMOption("MaxHeapFreeRatio", max);
                    vm.setVMOption("MinHeapFreeRatio", min);
                } catch (RuntimeException e) {
                    LOG.warn("could not restore the heap free ratios ({}/{}): {}", min, max, e.toString());
                }
            }
        }
    }

    /** How many times this JVM has given a run back (tests check that a multi-run section does it). */
    public static int releases() {
        return RELEASES.get();
    }
}
