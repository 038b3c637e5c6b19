package org.d2l.rnn.nn;

/**
 * Whether the JVM was started with {@code --add-modules jdk.incubator.vector} (every launch path of this project
 * is: .mvn/jvm.config, surefire, the Docker entrypoint). Without it the kernels fall back to ND4J ops and run
 * ~1.5x slower; nothing else changes.
 */
final class VectorSupport {
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorSupport() {
    }
}
