package org.d2l.rnn.runtime;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.zip.ZipFile;

/**
 * Says in one line why the CUDA backend cannot run, instead of ND4J's stack trace.
 *
 * <p>Why: on the GPU build (Maven profile {@code cuda}, the GPU Docker image) ND4J's {@code JCublasBackend}
 * probes the device while the first array is created; without a driver or a device it prints the root cause's
 * stack trace to stderr itself ({@code isAvailable} calls {@code printStackTrace}) and then fails with a chain of
 * wrapped exceptions. A user who ran the GPU image without {@code --gpus all}, or on a host without the NVIDIA
 * driver, needs the fix, not 40 lines of JNI frames. So {@link #problem} asks CUDA first, quietly, the way ND4J
 * would (JavaCPP's cudart: {@code cudaGetDeviceCount}), before anything loads ND4J; and {@link #explain}
 * classifies a failure that still reaches the CLI's error handler.
 *
 * <p>Everything CUDA is reached by reflection: the default (CPU) build has no CUDA classes on its classpath, and
 * there this class answers "no problem" without loading anything.
 */
public final class CudaBackendCheck {
    /** ND4J's CUDA backend; on the classpath only in the {@code cuda} build. */
    static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";
    /** JavaCPP's CUDA runtime bindings (org.bytedeco:cuda), which ND4J's backend probe uses too. */
    static final String CUDART_CLASS = "org.bytedeco.cuda.global.cudart";
    /** cudaDevAttrComputeCapabilityMajor / Minor of the CUDA runtime API. */
    private static final int ATTR_CC_MAJOR = 75;
    private static final int ATTR_CC_MINOR = 76;
    /**
     * ND4J 1.0.0-M2.1's libnd4jcuda carries machine code for sm_37 to sm_86 and no PTX (docker/README.md,
     * src/main/scripts/cuda-archs.py): sm_86 code runs on 8.x, nothing runs on 9.0 (Hopper) and newer.
     */
    static final int NEWEST_MAJOR = 8;

    private static final String NO_CODE = "ND4J 1.0.0-M2.1's CUDA build has machine code for compute capability 3.7 "
            + "to 8.6 only and no PTX, so Hopper (9.0) and newer GPUs cannot run it; use the CPU image "
            + "(docker/README.md, 'Which GPUs')";

    static final String FIX_NO_DRIVER = "run the GPU image with --gpus all on a host with the NVIDIA driver and the "
            + "NVIDIA container toolkit, or use the CPU image";

    private static Optional<String> cached;

    private CudaBackendCheck() {
    }

    /** True when ND4J's CUDA backend is on the classpath (the {@code cuda} build). */
    public static boolean cudaBuild() {
        try {
            Class.forName(CUDA_BACKEND_CLASS, false, CudaBackendCheck.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Why the CUDA backend cannot run here, in one line; empty on the CPU build and when a usable device is found.
     * Asks once per JVM. Call it before anything touches ND4J.
     */
    public static synchronized Optional<String> problem() {
        if (cached == null) {
            cached = cudaBuild() ? probe() : Optional.empty();
        }
        return cached;
    }

    private static Optional<String> probe() {
        try {
            Class<?> cudart = Class.forName(CUDART_CLASS);
            // JavaCPP extracts and loads libcudart and its JNI library; the JNI library links libcuda.so.1, the
            // driver's library, so a missing driver fails right here with an UnsatisfiedLinkError
            Class.forName("org.bytedeco.javacpp.Loader").getMethod("load", Class.class).invoke(null, cudart);
            int[] count = {0};
            int status = (Integer) cudart.getMethod("cudaGetDeviceCount", int[].class).invoke(null, (Object) count);
            if (status != 0 || count[0] <= 0) {
                return Optional.of(noDevice(status + " " + errorString(cudart, status)));
            }
            int[] major = {0};
            int[] minor = {0};
            var attribute = cudart.getMethod("cudaDeviceGetAttribute", int[].class, int.class, int.class);
            attribute.invoke(null, major, ATTR_CC_MAJOR, 0);
            attribute.invoke(null, minor, ATTR_CC_MINOR, 0);
            return tooNew(major[0], minor[0]);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable t = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            return Optional.of(explain(t).orElse("the CUDA backend could not start: " + rootMessage(t) + "; "
                    + FIX_NO_DRIVER));
        }
    }

    private static String errorString(Class<?> cudart, int status) {
        try {
            Object p = cudart.getMethod("cudaGetErrorString", int.class).invoke(null, status);
            return String.valueOf(p.getClass().getMethod("getString").invoke(p));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "";
        }
    }

    /** The message for a device of compute capability major.minor, empty when ND4J M2.1 has code for it. */
    static Optional<String> tooNew(int major, int minor) {
        if (major <= NEWEST_MAJOR) {
            return Optional.empty();
        }
        return Optional.of("the GPU has compute capability " + major + "." + minor + ": " + NO_CODE);
    }

    private static String noDevice(String detail) {
        return "no CUDA driver/device found (" + detail.strip() + "): " + FIX_NO_DRIVER;
    }

    /**
     * A one-line explanation when {@code failure} (or one of its causes) says that CUDA cannot run here: the
     * driver's library is missing, no device is visible, the driver is too old, or the GPU is newer than the build.
     * Empty for any other failure, which stays a bug report.
     */
    public static Optional<String> explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("libcuda.so") || m.contains("libnvidia-")) {
                // the driver's user-space library: mounted into the container only by the NVIDIA toolkit
                return Optional.of(noDevice("libcuda.so.1, the driver's library, is not there"));
            }
            if (m.contains("no cuda devices were found") || m.contains("no cuda-capable device")
                    || m.contains("cudaerrornodevice")) {
                return Optional.of(noDevice("no device is visible"));
            }
            if (m.contains("driver version is insufficient") || m.contains("cudaerrorinsufficientdriver")) {
                return Optional.of("the NVIDIA driver is older than CUDA 11.6 needs (" + firstLine(t.getMessage())
                        + "): update the host's driver, or use the CPU image");
            }
            if (m.contains("no kernel image is available")) {
                return Optional.of("CUDA found no kernel image for this GPU: " + NO_CODE);
            }
        }
        return Optional.empty();
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + firstLine(t.getMessage());
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
    }

    /**
     * {@code extract [JAR-PREFIX...]}: extracts, with JavaCPP's own {@code Loader.cacheResources}, every platform
     * directory of native libraries on the classpath (only from jars whose file name starts with one of the
     * prefixes, when given) into JavaCPP's cache ({@code -Dorg.bytedeco.javacpp.cachedir=DIR}) and prints one
     * extracted directory per line. docker/build-and-test.sh runs it in the GPU image and {@code ldd}s what comes
     * out: on a machine without a GPU that is the only way to see that every CUDA library resolves.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || !"extract".equals(args[0])) {
            System.err.println("usage: CudaBackendCheck extract [JAR-PREFIX...]"
                    + "   (with -Dorg.bytedeco.javacpp.cachedir=DIR)");
            System.exit(2);
        }
        for (String dir : nativeDirectories(List.of(args).subList(1, args.length))) {
            for (File f : org.bytedeco.javacpp.Loader.cacheResources(CudaBackendCheck.class, "/" + dir)) {
                System.out.println(f.getAbsolutePath());
            }
        }
    }

    /**
     * The {@code .../<platform>/} resource directories of the classpath's jars that hold shared libraries; only
     * those of jars whose file name starts with one of {@code jarPrefixes}, unless it is empty.
     */
    static List<String> nativeDirectories(List<String> jarPrefixes) {
        // <package>/<platform>/lib.so, or <package>/<platform>-<extension>/: the cuDNN build of ND4J's library lives
        // in .../linux-x86_64-cudnn/ beside the plain one
        var library = java.util.regex.Pattern.compile("(.*/" + java.util.regex.Pattern.quote(
                org.bytedeco.javacpp.Loader.getPlatform()) + "(-[A-Za-z0-9]+)?/)[^/]+\\.so(\\.[0-9.]+)?");
        var dirs = new TreeSet<String>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            if (!entry.endsWith(".jar") || !Files.isRegularFile(p)
                    || !(jarPrefixes.isEmpty() || jarPrefixes.stream().anyMatch(name::startsWith))) {
                continue;
            }
            try (var zip = new ZipFile(p.toFile())) {
                zip.stream().map(java.util.zip.ZipEntry::getName).filter(n -> !n.startsWith("META-INF/"))
                        .map(library::matcher).filter(java.util.regex.Matcher::matches).map(m -> m.group(1))
                        .forEach(dirs::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ArrayList<>(dirs);
    }
}
