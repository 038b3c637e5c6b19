package org.d2l.rnn.runtime;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads ND4J once with fast threading and says what it runs on.
 *
 * <p>Why: with ND4J's defaults (all cores, OpenMP spin-waiting) the small per-step ops of RNN training were
 * 2-3x slower on an idle 2-core machine and ~10x slower when the cores were shared. One OpenMP thread avoids
 * the spin barriers. {@code OMP_NUM_THREADS} (read by the native library at load) wins when the user set it;
 * otherwise the thread count is set at run time, which works under {@code mvn exec:java} too.
 */
public final class NativeRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(NativeRuntime.class);
    /** System property that overrides the default thread count (the CLI's --threads sets it). */
    public static final String THREADS_PROPERTY = "d2l.threads";
    private static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";
    /**
     * Every launch path's malloc_trim every 5 s (JDK 17.0.9+; {@link ChildJvm#LAUNCH_OPTIONS}). Why: ND4J's buffers
     * come from glibc's malloc, which keeps freed memory in its arenas; an RNN run frees its buffers (most right after
     * use) but the resident set still grew ~0.1 MiB/epoch, and one {@code jcmd System.trim_native_heap} gave back
     * 52 MiB of a 156 MiB anonymous non-heap part (notebooks-export/performance/soak). Launch paths pass
     * {@code -XX:+IgnoreUnrecognizedVMOptions} before it so an older JDK still starts; {@link #init} then warns.
     */
    public static final String TRIM_NATIVE_HEAP = "-XX:TrimNativeHeapInterval=5000";
    /** The OpenBLAS {@link #configureLoading} arranged for; null until then. */
    private static BlasLibrary.Choice blas;
    /** {@link #blasDescription}, read once the library is loaded. */
    private static String blasDescription;
    private static boolean initialised;

    private NativeRuntime() {
    }

    /**
     * JavaCPP settings read when its classes and native libraries load: call before anything touches ND4J (the CLI's
     * main does; {@link #init} does too, in case it comes first). A property the user set wins.
     */
    public static synchronized void configureLoading() {
        // JavaCPP checks the process's physical memory (reading /proc/self/statm) on every native allocation when
        // maxPhysicalBytes > 0: ND4J allocates small shape and argument buffers for every op, and the profile of an
        // LSTM-256 training step showed 6% of the time in Pointer.physicalBytesInaccurate. Its byte counter
        // (maxBytes) still bounds native memory. Read when JavaCPP's Pointer class loads, so set it first.
        setIfAbsent(MAX_PHYSICAL_BYTES, "0");
        if (blas == null) {
            blas = BlasLibrary.requested().configure();
        }
    }

    static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * Which OpenBLAS was chosen, the file JavaCPP loaded (its cached copy), and what the library says of itself:
     * "maven /…/libopenblas.so.0 (loaded as …): OpenBLAS 0.3.31 DYNAMIC_ARCH … Cooperlake …, core Cooperlake".
     */
    public static synchronized String blasDescription() {
        init();
        return blasDescription;
    }

    /** The chosen library and what it says of itself, without file paths: "maven: OpenBLAS 0.3.31 …, core Cooperlake". */
    public static synchronized String blasSummary() {
        init();
        return blas.library().cliName() + ": " + OpenBlasInfo.query();
    }

    /** ND4J's OpenMP threads (the count the recurrent kernels and OpenBLAS use). */
    public static synchronized int threads() {
        init();
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    private static String describeBlas() {
        String file = org.bytedeco.javacpp.Loader.getLoadedLibraries().entrySet().stream()
                .filter(e -> e.getKey().contains("openblas") && !e.getKey().contains("jni"))
                .map(java.util.Map.Entry::getValue).findFirst().orElse("?");
        return blas + " (loaded as " + file + "): " + OpenBlasInfo.query();
    }

    /**
     * Changes the thread count of ND4J's OpenMP ops and of OpenBLAS now (both take it at run time), for benchmarks
     * that compare thread counts inside one process.
     */
    public static synchronized void setThreads(int threads) {
        init();
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    public static synchronized void init() {
        if (initialised) {
            return;
        }
        configureLoading();
        Nd4j.create(1); // loads the backend; NativeOpsHolder throws before that
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        String prop = System.getProperty(THREADS_PROPERTY);
        String env = System.getenv("OMP_NUM_THREADS");
        if (prop != null) {
            ops.setOmpNumThreads(Integer.parseInt(prop));
        } else if (env == null || env.isBlank()) {
            ops.setOmpNumThreads(1);
        }
        // OpenBLAS keeps its own pool (all cores by default) whose threads spin as well; give gemm the same count
        // unless the user chose one
        String blasEnv = System.getenv("OPENBLAS_NUM_THREADS");
        if (blasEnv == null || blasEnv.isBlank()) {
            Nd4j.factory().blas().setMaxThreads(ops.ompGetMaxThreads());
        }
        initialised = true;
        blasDescription = describeBlas();
        var info = Nd4j.getExecutioner().getEnvironmentInformation();
        LOG.info("ND4J backend {} ({}, {} cores), data type {}, OpenMP threads {}, BLAS {} threads {} (OMP_NUM_THREADS={}, "
                        + "OMP_WAIT_POLICY={}, OPENBLAS_NUM_THREADS={}), JavaCPP physical-memory check {}; OpenBLAS {}",
                info.get("backend"), device(info), info.get("cores"), Nd4j.dataType(), ops.ompGetMaxThreads(),
                info.get("blas.vendor"), Nd4j.factory().blas().getMaxThreads(), env, System.getenv("OMP_WAIT_POLICY"),
                blasEnv, org.bytedeco.javacpp.Pointer.maxPhysicalBytes() > 0 ? "on" : "off", blasDescription());
        if (!ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            LOG.warn("The JVM runs without --add-modules jdk.incubator.vector: recurrent steps fall back to ND4J ops "
                    + "(~1.5x slower). mvn reads it from .mvn/jvm.config; add it to a plain java command line.");
        }
        String trim = vmOption("TrimNativeHeapInterval");
        if (trim == null || "0".equals(trim)) {
            LOG.warn("The JVM does not trim its native heap ({}): memory ND4J frees stays in glibc's arenas and the "
                    + "resident set creeps up in long runs. mvn reads {} from .mvn/jvm.config; add it to a plain java "
                    + "command line (JDK 17.0.9 or later).", trim == null ? "this JDK has no TrimNativeHeapInterval"
                    : "TrimNativeHeapInterval=0", TRIM_NATIVE_HEAP);
        }
    }

    /**
     * Gives the native heap's free memory back to the operating system now (glibc's {@code malloc_trim}, through
     * the JVM's {@code System.trim_native_heap} diagnostic command, JDK 17.0.9+), instead of at the next periodic
     * trim up to 5 s later; false where this JVM has no such command. Called when a run has freed what it held, so
     * that the next run starts from a baseline without the last run's freed buffers in it.
     */
    public static boolean trimNativeHeap() {
        try {
            var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            server.invoke(new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "systemTrimNativeHeap", new Object[] {null}, new String[] {String[].class.getName()});
            return true;
        } catch (javax.management.JMException | RuntimeException e) {
            return false;
        }
    }

    /** A HotSpot flag's value, null when this JVM has no such flag. */
    static String vmOption(String name) {
        try {
            return java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    /** The CUDA devices' names on a GPU backend, else the CPU architecture. */
    private static String device(java.util.Properties env) {
        Object devices = env.get("cuda.devicesInformation");
        return devices != null ? devices.toString() : System.getProperty("os.arch");
    }
}
