package org.d2l.rnn.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the process's memory is, printed at the points a multi-run section passes (each run's start, its job's end,
 * once it is released) when the JVM runs with {@code -Dd2l.memoryProbe=true}: the resident set, the Java heap and
 * every memory pool, JavaCPP's counters, the JVM's native memory by category (with
 * {@code -XX:NativeMemoryTracking=summary}) and glibc's arenas ({@code malloc_stats}, on stderr).
 *
 * <p>Why: issue 16's step between a first run's baseline and the next run's was split into its parts with it
 * (heap, code and class metadata, the rest); {@code MAVEN_OPTS="-Xmx1g -XX:NativeMemoryTracking=summary
 * -Dd2l.memoryProbe=true" mvn -q exec:java -Dexec.args="run exercise-clipping --epochs 20"} shows them again.
 */
public final class MemoryProbe {
    private MemoryProbe() {
    }

    /** Whether {@code -Dd2l.memoryProbe=true} asked for it. */
    public static boolean enabled() {
        return Boolean.getBoolean("d2l.memoryProbe");
    }

    /** Prints the process's memory, headed by {@code when}; nothing unless {@link #enabled}. */
    public static void print(String when) {
        if (!enabled()) {
            return;
        }
        StringBuilder b = new StringBuilder("=== memory probe: " + when + "\n");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS") || line.startsWith("RssAnon") || line.startsWith("RssFile")
                        || line.startsWith("Threads")) {
                    b.append("  ").append(line.replaceAll("\\s+", " ")).append('\n');
                }
            }
        } catch (java.io.IOException e) {
            b.append("  (no /proc)\n");
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        b.append(String.format("  heap used %.1f committed %.1f MiB%n", heap.getUsed() / 1048576.0,
                heap.getCommitted() / 1048576.0));
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            b.append(String.format("  pool %-32s %s used %.1f committed %.1f%n", p.getName(),
                    p.getType() == MemoryType.HEAP ? "H" : "N", p.getUsage().getUsed() / 1048576.0,
                    p.getUsage().getCommitted() / 1048576.0));
        }
        b.append(String.format("  javacpp totalBytes %.1f physicalBytes %.1f MiB, count %d%n",
                org.bytedeco.javacpp.Pointer.totalBytes() / 1048576.0,
                org.bytedeco.javacpp.Pointer.physicalBytes() / 1048576.0,
                org.bytedeco.javacpp.Pointer.totalCount()));
        try {
            var server = ManagementFactory.getPlatformMBeanServer();
            String nmt = (String) server.invoke(new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "vmNativeMemory", new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            for (String line : nmt.split("\n")) {
                if (line.matches("^(Total|-\\s+\\S.*)\\(.*") || line.startsWith("Total")) {
                    b.append("  nmt ").append(line.trim()).append('\n');
                }
            }
        } catch (Exception e) {
            b.append("  nmt: ").append(e).append('\n');
        }
        System.out.print(b);
        System.out.flush();
        try {
            MethodHandle f = jdk.incubator.foreign.CLinker.getInstance().downcallHandle(
                    jdk.incubator.foreign.CLinker.systemLookup().lookup("malloc_stats").orElseThrow(),
                    MethodType.methodType(void.class), jdk.incubator.foreign.FunctionDescriptor.ofVoid());
            f.invokeExact();
        } catch (Throwable t) {
            System.out.println("  malloc_stats: " + t);
        }
        System.err.flush();
    }
}
