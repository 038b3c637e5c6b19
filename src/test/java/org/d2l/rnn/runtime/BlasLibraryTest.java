package org.d2l.rnn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.d2l.rnn.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Which OpenBLAS ND4J runs on: the Maven library by default, extracted from a jar when the classes are one. */
class BlasLibraryTest {
    @TempDir
    Path dir;

    /**
     * By default a system OpenBLAS, else the one the build unpacked from Maven Central (on Linux x86-64: the pom's
     * openblas-from-maven profile); BenchCommandTest runs -Dd2l.blas=maven in a child JVM where a system one exists.
     */
    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void testsRunOnASystemOrTheMavenOpenBlasAndSayWhichCoreItPicked() {
        String blas = NativeRuntime.blasDescription();
        if (BlasLibrary.systemLibrary().isPresent()) {
            assertTrue(blas.startsWith("system "), blas);
        } else {
            assertTrue(blas.startsWith("maven "), blas);
            assertTrue(blas.contains("OpenBLAS 0.3.31 "), "the version the pom names: " + blas);
        }
        // the CPU decides the kernels; what matters is that the library was asked, through the foreign-function API
        assertTrue(blas.matches(".*, core [A-Za-z0-9]+$"), blas);
        for (String file : new String[] {"libopenblas.so.0", "libgfortran.so.5", "libquadmath.so.0"}) {
            assertTrue(Files.isRegularFile(BlasLibrary.mavenDirectory().orElseThrow().resolve(file)), file);
        }
    }

    @Test
    void aBadChoiceIsAOneLineErrorThatNamesTheChoices() {
        String before = System.getProperty(BlasLibrary.PROPERTY);
        System.setProperty(BlasLibrary.PROPERTY, "mkl");
        try {
            UserError e = assertThrows(UserError.class, BlasLibrary::requested);
            assertEquals("-Dd2l.blas must be auto, maven, system or bundled, got 'mkl'", e.getMessage());
            System.setProperty(BlasLibrary.PROPERTY, " System ");
            assertEquals(BlasLibrary.SYSTEM, BlasLibrary.requested());
        } finally {
            if (before == null) {
                System.clearProperty(BlasLibrary.PROPERTY);
            } else {
                System.setProperty(BlasLibrary.PROPERTY, before);
            }
        }
    }

    @Test
    void fromAJarTheFilesAreExtractedOnceIntoADirectoryNamedByTheirChecksum() throws Exception {
        Path jar = dir.resolve("app.jar");
        byte[] library = "not really a library".getBytes();
        byte[] gfortran = "its companion".getBytes();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("org/d2l/rnn/runtime/openblas/libopenblas.so.0"));
            out.write(library);
            out.putNextEntry(new JarEntry("org/d2l/rnn/runtime/openblas/libgfortran.so.5"));
            out.write(gfortran);
        }
        URL url = new URL("jar:" + jar.toUri() + "!/org/d2l/rnn/runtime/openblas/libopenblas.so.0");
        Path cache = dir.resolve("cache");
        Path extracted = BlasLibrary.directory(url, cache);
        assertTrue(extracted.getFileName().toString().startsWith("d2l-openblas-"), extracted.toString());
        assertArrayEquals(library, Files.readAllBytes(extracted.resolve("libopenblas.so.0")));
        assertArrayEquals(gfortran, Files.readAllBytes(extracted.resolve("libgfortran.so.5")));
        assertFalse(Files.exists(extracted.resolve("libquadmath.so.0")), "only what the jar holds");
        try (var entries = Files.list(cache)) {
            assertEquals(1, entries.count(), "no temporary directory left behind");
        }
        assertEquals(extracted, BlasLibrary.directory(url, cache), "the second JVM reuses the first one's copy");
    }
}
