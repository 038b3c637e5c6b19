package org.d2l.rnn.train;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The process's memory at one moment: its resident set (heap, ND4J's off-heap buffers, native code), how much of
 * that the Java heap has committed, and how much the JVM's compiled code and class metadata have (its code cache,
 * metaspace and compressed class space). The JVM grows its heap lazily towards -Xmx, so the resident set grows in a
 * healthy run too; the part outside the heap is what would show a native leak. Code and class metadata grow once,
 * while the JVM warms up (the classes a first run loads, the methods it gets compiled): a second run in the same JVM
 * starts with them.
 */
public record MemorySnapshot(double residentMib, double heapCommittedMib, double codeAndMetadataMib) {
    private static final double MIB = 1048576.0;

    /** A snapshot from before code and class metadata were recorded. */
    public MemorySnapshot(double residentMib, double heapCommittedMib) {
        this(residentMib, heapCommittedMib, Double.NaN);
    }

    public static MemorySnapshot now() {
        return new MemorySnapshot(org.bytedeco.javacpp.Pointer.physicalBytes() / MIB,
                Runtime.getRuntime().totalMemory() / MIB, codeAndMetadataBytes() / MIB);
    }

    /** The committed size of the JVM's non-heap memory pools: code cache segments, metaspace, class space. */
    private static long codeAndMetadataBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.NON_HEAP && pool.isValid()) {
                sum += pool.getUsage().getCommitted();
            }
        }
        return sum;
    }

    /** Resident memory outside the committed Java heap: native buffers, metaspace, code, thread stacks. */
    public double outsideHeapMib() {
        return residentMib - heapCommittedMib;
    }

    /**
     * Resident memory outside both the heap and the JVM's code and class metadata: ND4J's buffers, glibc's arenas,
     * native libraries' data, thread stacks, the JVM's own (GC, symbols, compiler) memory.
     */
    public double restMib() {
        return residentMib - heapCommittedMib - codeAndMetadataMib;
    }

    public static final MemorySnapshot UNKNOWN = new MemorySnapshot(Double.NaN, Double.NaN, Double.NaN);
}
