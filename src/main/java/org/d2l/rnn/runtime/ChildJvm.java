package org.d2l.rnn.runtime;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a fresh JVM that runs a main class of this program with the same classpath and launch options
 * as this one, for measurements that need a process of their own (a different BLAS library is loaded once per
 * process).
 */
public final class ChildJvm {
    /**
     * What every launch path passes: pom.xml's {@code d2l.jvm.options} (surefire), .mvn/jvm.config ({@code mvn
     * exec:java}, and the Docker entrypoint reads the same file) and child JVMs; LaunchOptionsTest keeps the three
     * equal. The vector module for the kernels' SIMD step math and the foreign-function API to ask OpenBLAS its core
     * (see NativeRuntime), and {@link NativeRuntime#TRIM_NATIVE_HEAP} (why: there).
     */
    public static final List<String> LAUNCH_OPTIONS = List.of("--add-modules",
            "jdk.incubator.vector,jdk.incubator.foreign", "--enable-native-access=ALL-UNNAMED",
            "-XX:+IgnoreUnrecognizedVMOptions", NativeRuntime.TRIM_NATIVE_HEAP);

    private ChildJvm() {
    }

    /** {@code java [options] -Xmx<this JVM's> -cp <this classpath> main args...}. */
    public static List<String> command(List<String> options, Class<?> main, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(LAUNCH_OPTIONS);
        cmd.add("-Xmx" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "m");
        cmd.addAll(options);
        cmd.add("-cp");
        cmd.add(classpath(main));
        cmd.add(main.getName());
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The classpath {@code main} was loaded from. Under {@code mvn exec:java} the project's classes and jars are not on
     * {@code java.class.path} (that is Maven's launcher) but in the URL class loader exec:java made, so the class
     * loaders are asked first.
     */
    static String classpath(Class<?> main) {
        // only the loader that loaded main: its parents hold Maven's own jars under exec:java, not ours
        if (main.getClassLoader() instanceof URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // not a file: a child JVM could not use it either
                }
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }
}
