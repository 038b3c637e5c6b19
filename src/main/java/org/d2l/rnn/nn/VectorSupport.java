package org.d2l.rnn.nn;

/**
 * Whether the JVM was started with {@code --add-modules jdk.incubator.vector} (every launch path of this project
 * is: .mvn/jvm.config, surefire, the Docker entrypoint). Without it the kernels fall back to ND4J ops and run
 * ~1.5x slower; nothing else changes.
 */
public final class VectorSupport {
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorSupport() {
    }

    /**
     * The step math the kernels use for this data type and hidden size in this JVM ({@code VectorStepMath} or
     * {@code Nd4jStepMath}): they round differently, so a model card records it.
     */
    public static String stepMath(org.nd4j.linalg.api.buffer.DataType dataType, long hidden) {
        return StepMath.forType(dataType, hidden).getClass().getSimpleName();
    }
}
