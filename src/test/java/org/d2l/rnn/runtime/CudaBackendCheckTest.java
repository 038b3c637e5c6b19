package org.d2l.rnn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The one-line CUDA diagnosis, without CUDA: the failures below are the ones ND4J M2.1 / JavaCPP raise when the
 * driver is missing or the GPU is unusable (their messages copied from the real libraries' behaviour).
 */
class CudaBackendCheckTest {
    /** What JavaCPP throws when libjnicudart.so is loaded in a container without the driver mounted. */
    private static final String NO_LIBCUDA = "/root/.javacpp/cache/cuda-11.6-8.3-1.5.7-linux-x86_64.jar/org/bytedeco/"
            + "cuda/linux-x86_64/libjnicudart.so: libcuda.so.1: cannot open shared object file: No such file or directory";

    @Test
    void missingDriverLibraryDeepInTheChainIsExplainedInOneLineWithTheFix() {
        // ND4J wraps the root cause twice (JCublasBackend.isAvailable, then Nd4j's backend loading)
        var chain = new RuntimeException("org.nd4j.linalg.factory.Nd4jBackend$NoAvailableBackendException",
                new RuntimeException(new UnsatisfiedLinkError(NO_LIBCUDA)));
        Optional<String> message = CudaBackendCheck.explain(chain);
        assertTrue(message.isPresent());
        assertTrue(message.get().startsWith("no CUDA driver/device found"), message.get());
        assertTrue(message.get().contains("--gpus all") && message.get().contains("CPU image"), message.get());
        assertFalse(message.get().contains("\n"), "one line");
    }

    @Test
    void noDeviceAndOldDriverAreExplained() {
        assertTrue(CudaBackendCheck.explain(new RuntimeException("No CUDA devices were found in system")).orElseThrow()
                .startsWith("no CUDA driver/device found (no device is visible)"));
        assertTrue(CudaBackendCheck.explain(new IllegalStateException(
                "CUDA driver version is insufficient for CUDA runtime version")).orElseThrow().contains("update"));
    }

    @Test
    void hopperIsRefusedAmpereAndAdaAreNot() {
        assertEquals(Optional.empty(), CudaBackendCheck.tooNew(8, 6)); // A10, RTX 30xx: SASS sm_86
        assertEquals(Optional.empty(), CudaBackendCheck.tooNew(8, 9)); // L4, RTX 40xx: sm_86 code runs on 8.9
        assertTrue(CudaBackendCheck.tooNew(9, 0).orElseThrow().contains("compute capability 9.0"));
        assertTrue(CudaBackendCheck.explain(new RuntimeException("cudaErrorNoKernelImageForDevice: "
                + "no kernel image is available for execution on the device")).orElseThrow().contains("CPU image"));
    }

    @Test
    void otherFailuresStayBugReports() {
        assertEquals(Optional.empty(), CudaBackendCheck.explain(new IllegalArgumentException("shape mismatch",
                new NullPointerException())));
    }

    @Test
    void theCpuBuildHasNoCudaBackendAndNoProblem() {
        // the default build's classpath: nd4j-native only; under -Pcuda problem() would probe the real device
        Assumptions.assumeFalse(CudaBackendCheck.cudaBuild(), "runs on the default (CPU) build only");
        assertEquals(Optional.empty(), CudaBackendCheck.problem());
    }

    @Test
    void nativeDirectoriesAreThoseOfTheNamedJarsOnTheClasspath() {
        // the directories JavaCPP extracts for ND4J's CPU backend; build-and-test.sh does this for the CUDA jars
        var dirs = CudaBackendCheck.nativeDirectories(java.util.List.of("nd4j-native-"));
        assertTrue(dirs.contains("org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64/"), dirs.toString());
        assertTrue(dirs.stream().allMatch(d -> d.startsWith("org/nd4j/")), "only nd4j-native's jars: " + dirs);
    }
}
