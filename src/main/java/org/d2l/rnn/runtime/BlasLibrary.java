package org.d2l.rnn.runtime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.io.FileUtils;
import org.d2l.rnn.UserError;

/**
 * Which OpenBLAS ND4J computes with, chosen before JavaCPP loads it.
 *
 * <p>Why not ND4J's own: M2.1 bundles OpenBLAS 0.3.19, which on AVX-512 CPUs of the Cooper Lake kind picks its Zen
 * (AVX2) kernels; later versions pick AVX-512 ones. The build unpacks {@code org.bytedeco:openblas:0.3.31-1.5.13}
 * ({@code linux-x86_64}, from Maven Central) into the classpath; here its directory goes first on the path JavaCPP
 * searches with {@code pathsFirst}, so that the {@code openblas@.0} preload of ND4J's OpenBLAS presets finds that
 * file instead of the bundled one. Only the native library comes from 0.3.31: the JNI glue stays the 1.5.7 one
 * ND4J was built with, and binds to whichever {@code libopenblas.so.0} is loaded first, by its soname.
 *
 * <p>Why a system library still comes first when there is one: measured alternating on this project's machine
 * ({@code bench --compare-blas}, notebooks-export/performance/blas), Debian's 0.3.21 build beat the Maven 0.3.31 one
 * although both pick the same Cooperlake kernels, and both beat the bundled 0.3.19.
 *
 * <p>{@code -Dd2l.blas=auto|maven|system|bundled}: {@code auto} (the default) takes a system {@code libopenblas.so.0}
 * where {@code java.library.path} has one (Debian: {@code libopenblas0-pthread}), else the Maven one, else the
 * bundled one (where the build unpacked none: not Linux x86-64).
 */
public enum BlasLibrary {
    /** The system library when there is one, else the Maven one, else the bundled one. */
    AUTO,
    /** OpenBLAS from Maven Central, unpacked into the classpath by the build. */
    MAVEN,
    /** The operating system's {@code libopenblas.so.0}, found on {@code java.library.path}. */
    SYSTEM,
    /** The OpenBLAS inside ND4J's native jar. */
    BUNDLED;

    /** The system property that picks the library. */
    public static final String PROPERTY = "d2l.blas";
    /** Where the build puts the Maven library's files (see the pom's openblas-from-maven profile). */
    static final String RESOURCE_DIR = "/org/d2l/rnn/runtime/openblas/";
    static final String LIBRARY = "libopenblas.so.0";
    /** libopenblas.so.0 needs these (RUNPATH $ORIGIN); JavaCPP's presets preload them from the same directory. */
    private static final List<String> FILES = List.of(LIBRARY, "libgfortran.so.5", "libquadmath.so.0", "libgcc_s.so.1");
    /**
     * java.library.path as the JVM started, read when this class loads (before {@link #MAVEN} puts its directory
     * first): where a system library is looked for.
     */
    private static final String SYSTEM_LIBRARY_PATH = System.getProperty("java.library.path", "");

    /** The name -D{@value #PROPERTY} and {@code bench --compare-blas} take. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The library the property asks for (default {@link #AUTO}); a bad value is a {@link UserError}. */
    public static BlasLibrary requested() {
        String value = System.getProperty(PROPERTY, "auto");
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("-D" + PROPERTY + " must be auto, maven, system or bundled, got '" + value + "'");
        }
    }

    /** The library that will be loaded, and its file where it is not inside ND4J's jar. */
    record Choice(BlasLibrary library, Optional<Path> file) {
        @Override
        public String toString() {
            return library.cliName() + file.map(f -> " " + f).orElse("");
        }
    }

    /**
     * Sets JavaCPP's loading properties for this choice, before anything loads ND4J; properties the user set win.
     * Returns what will actually be loaded ({@link #BUNDLED} where the Maven library is absent).
     */
    Choice configure() {
        switch (this) {
            case AUTO -> {
                return (systemLibrary().isPresent() ? SYSTEM : MAVEN).configure();
            }
            case MAVEN -> {
                Optional<Path> dir = mavenDirectory();
                if (dir.isEmpty()) {
                    return new Choice(BUNDLED, Optional.empty());
                }
                String path = System.getProperty("java.library.path", "");
                // JavaCPP reads java.library.path itself on every search (the JVM's own copy was fixed at start-up,
                // but JavaCPP loads by absolute path), so putting the directory first is enough
                System.setProperty("java.library.path", dir.get() + (path.isEmpty() ? "" : File.pathSeparator + path));
                preferPaths();
                return new Choice(MAVEN, Optional.of(dir.get().resolve(LIBRARY)));
            }
            case SYSTEM -> {
                Optional<Path> file = systemLibrary();
                if (file.isEmpty()) {
                    throw new UserError("-D" + PROPERTY + "=system but no " + LIBRARY + " is on java.library.path: "
                            + "install the distribution's OpenBLAS (Debian: libopenblas0-pthread) or drop the option");
                }
                preferPaths();
                return new Choice(SYSTEM, file);
            }
            default -> {
                return new Choice(BUNDLED, Optional.empty());
            }
        }
    }

    /** JavaCPP searches java.library.path before its jars, and ND4J's presets preload libopenblas.so.0. */
    private static void preferPaths() {
        NativeRuntime.setIfAbsent("org.bytedeco.javacpp.pathsFirst", "true");
        NativeRuntime.setIfAbsent("org.bytedeco.openblas.load", "openblas@.0");
        NativeRuntime.setIfAbsent("org.bytedeco.openblas_nolapack.load", "openblas@.0");
    }

    /** The first {@code libopenblas.so.0} on the JVM's own {@code java.library.path}. */
    static Optional<Path> systemLibrary() {
        for (String dir : SYSTEM_LIBRARY_PATH.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.exists(Path.of(dir, LIBRARY))) {
                return Optional.of(Path.of(dir, LIBRARY));
            }
        }
        return Optional.empty();
    }

    /**
     * The directory holding the Maven library's files: the build output itself when the classes are a directory
     * (mvn exec:java, the tests, the Docker images), else a copy extracted from the jar into JavaCPP's cache, named
     * by the library's CRC so that two versions never share a directory.
     */
    static Optional<Path> mavenDirectory() {
        URL url = BlasLibrary.class.getResource(RESOURCE_DIR + LIBRARY);
        if (url == null) {
            return Optional.empty();
        }
        Path cache = Path.of(System.getProperty("org.bytedeco.javacpp.cachedir",
                System.getProperty("user.home") + "/.javacpp/cache"));
        try {
            return Optional.of(directory(url, cache));
        } catch (IOException | URISyntaxException | ClassCastException e) {
            // the bundled library still works: say why the fast one is not used instead of failing the run
            org.slf4j.LoggerFactory.getLogger(BlasLibrary.class).warn("OpenBLAS from Maven not usable ({}): using "
                    + "ND4J's bundled OpenBLAS", e.toString());
            return Optional.empty();
        }
    }

    /** The directory of {@code library} (a file, or an entry of a jar, then extracted into {@code cache}). */
    static Path directory(URL library, Path cache) throws IOException, URISyntaxException {
        if ("file".equals(library.getProtocol())) {
            return Path.of(library.toURI()).getParent();
        }
        long crc = ((JarURLConnection) library.openConnection()).getJarEntry().getCrc();
        Path dir = cache.resolve("d2l-openblas-" + Long.toHexString(crc));
        if (!Files.isDirectory(dir)) {
            extract(library, cache, dir);
        }
        return dir;
    }

    /**
     * Copies the library and the files beside it into a temporary directory, then renames it: a crashed copy never
     * looks complete.
     */
    private static void extract(URL library, Path cache, Path dir) throws IOException {
        Files.createDirectories(cache);
        Path tmp = Files.createTempDirectory(cache, dir.getFileName() + ".tmp");
        for (String name : FILES) {
            URL file = new URL(library, name);
            try (InputStream in = file.openStream()) {
                Files.copy(in, tmp.resolve(name));
            } catch (java.io.FileNotFoundException e) {
                // optional companion (the build takes what the jar has)
                if (name.equals(LIBRARY)) {
                    throw e;
                }
            }
        }
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // another JVM extracted it first: use that copy
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            FileUtils.deleteQuietly(tmp.toFile());
        }
    }
}
