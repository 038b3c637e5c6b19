package org.d2l.rnn.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a run leaves behind when it ends, its garbage on the Java heap (which made the collector grow the heap) and
 * ND4J arrays it dropped without closing, goes back to the operating system when the run is released: the next run
 * of the JVM starts from the first run's baseline, not from the last run's peak.
 */
class RunReleaseTest {
    private static final double MIB = 1048576.0;

    @Test
    void aReleasedRunGivesBackTheHeapItGrewAndTheNativeBuffersItDropped() {
        NativeRuntime.init();
        RunRelease.giveBack(); // start from a settled JVM
        int releases = RunRelease.releases();
        double heapBefore = heapCommittedMib();
        List<Object> held = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            byte[] chunk = new byte[1 << 20]; // humongous for G1: straight into regions of their own, never copied
            chunk[chunk.length - 1] = 1;
            held.add(chunk);
        }
        for (int i = 0; i < 50; i++) {
            held.add(Nd4j.ones(DataType.FLOAT, 1 << 20)); // 4 MiB each outside the heap, not closed
        }
        double heapPeak = heapCommittedMib();
        double residentPeak = Pointer.physicalBytes() / MIB;
        assertTrue(heapPeak >= heapBefore + 500, "the run's arrays did not grow the heap: " + heapBefore + " → " + heapPeak);
        held.clear(); // the run ended: all of it is garbage now

        RunRelease.Released r = RunRelease.giveBack();

        assertTrue(RunRelease.releases() == releases + 1);
        assertTrue(r.heapCommittedAfterMib() <= heapPeak - 400, "the heap stayed committed: " + r);
        assertTrue(r.residentAfterMib() <= residentPeak - 500, "the resident set stayed near its peak "
                + residentPeak + " MiB: " + r);
        assertTrue(r.gcMillis() + r.waitMillis() < 5000, "the release took too long: " + r);
    }

    /**
     * A run that left the heap moderately grown (more than the JVM's default 40% free after a collection, less than
     * its 70% shrink threshold) also gets it back: the release shrinks the heap to about what is still in use.
     */
    @Test
    void aReleasedRunGivesBackAModeratelyGrownHeap() {
        String maxHeapFreeRatio = maxHeapFreeRatio();
        RunRelease.giveBack();
        List<Object> held = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            byte[] chunk = new byte[1 << 20];
            chunk[chunk.length - 1] = 1;
            held.add(chunk);
        }
        List<Object> kept = new ArrayList<>(held.subList(0, 80)); // what the next run keeps: half of it
        held.clear();
        RunRelease.Released r = RunRelease.giveBack();
        double used = heapUsedMib();
        assertTrue(r.heapCommittedAfterMib() <= used / 0.8 + 8, "the heap stayed grown: " + used + " MiB in use, "
                + r);
        assertTrue(kept.size() == 80);
        kept.clear();
        assertTrue(maxHeapFreeRatio.equals(maxHeapFreeRatio()), "MaxHeapFreeRatio was not put back");
    }

    private static String maxHeapFreeRatio() {
        return java.lang.management.ManagementFactory.getPlatformMXBean(
                com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("MaxHeapFreeRatio").getValue();
    }

    private static double heapUsedMib() {
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / MIB;
    }

    private static double heapCommittedMib() {
        return Runtime.getRuntime().totalMemory() / MIB;
    }
}
