package org.d2l.rnn.train;

/**
 * The process's memory at one moment: its resident set (heap, ND4J's off-heap buffers, native code) and how much
 * of that the Java heap has committed. The JVM grows its heap lazily towards -Xmx and rarely gives it back, so the
 * resident set grows in a healthy run too; the part outside the heap is what would show a native leak.
 */
public record MemorySnapshot(double residentMib, double heapCommittedMib) {
    private static final double MIB = 1048576.0;

    public static MemorySnapshot now() {
        return new MemorySnapshot(org.bytedeco.javacpp.Pointer.physicalBytes() / MIB,
                Runtime.getRuntime().totalMemory() / MIB);
    }

    /** Resident memory outside the committed Java heap: native buffers, metaspace, code, thread stacks. */
    public double outsideHeapMib() {
        return residentMib - heapCommittedMib;
    }

    public static final MemorySnapshot UNKNOWN = new MemorySnapshot(Double.NaN, Double.NaN);
}
