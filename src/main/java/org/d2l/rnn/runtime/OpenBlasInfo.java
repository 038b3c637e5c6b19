package org.d2l.rnn.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.Optional;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.SymbolLookup;

/**
 * Asks the loaded OpenBLAS what it is: {@code openblas_get_config()} (version, build options, core) and
 * {@code openblas_get_corename()} (the kernels DYNAMIC_ARCH picked for this CPU).
 *
 * <p>Why the foreign-function API: JavaCPP's OpenBLAS presets 1.5.7 skip both functions, and no other Java binding
 * reaches them. It needs {@code --add-modules jdk.incubator.foreign --enable-native-access=ALL-UNNAMED}, which every
 * launch path passes; where a JVM runs without them, {@link #query} says so instead of failing.
 */
final class OpenBlasInfo {
    private OpenBlasInfo() {
    }

    /** "OpenBLAS 0.3.31 DYNAMIC_ARCH ... Cooperlake ..., core Cooperlake", or why it is unknown. */
    static String query() {
        try {
            return Probe.config().map(c -> c + ", core " + Probe.corename().orElse("?"))
                    .orElse("(openblas_get_config not found)");
        } catch (LinkageError | IllegalCallerException e) {
            return "(version and core unknown: the JVM runs without --add-modules jdk.incubator.foreign "
                    + "--enable-native-access=ALL-UNNAMED)";
        }
    }

    /** Loaded only when the module is present, so that its absence is a LinkageError caught above. */
    private static final class Probe {
        static Optional<String> config() {
            return call("openblas_get_config");
        }

        static Optional<String> corename() {
            return call("openblas_get_corename");
        }

        /** A {@code char *f(void)} of a library this class loader loaded (JavaCPP loads OpenBLAS through it). */
        private static Optional<String> call(String symbol) {
            return SymbolLookup.loaderLookup().lookup(symbol).map(address -> {
                MethodHandle f = CLinker.getInstance().downcallHandle(address,
                        MethodType.methodType(MemoryAddress.class), FunctionDescriptor.of(CLinker.C_POINTER));
                try {
                    return CLinker.toJavaString((MemoryAddress) f.invokeExact()).trim();
                } catch (Throwable t) {
                    throw new IllegalStateException(symbol + " failed", t);
                }
            });
        }
    }
}
