package org.d2l.rnn.models;

import org.d2l.rnn.nn.NativeArrays;
import org.d2l.rnn.runtime.NativeRuntime;
import org.d2l.rnn.nn.ReleasableBuffers;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gives back what a trained network holds outside the Java heap when its run ends.
 *
 * <p>Why: a process that trains run after run (an exercise, a test suite, a benchmark) otherwise keeps every
 * finished run's parameters, gradients, updater state and kernel buffers until the garbage collector happens to
 * find their Java objects — an exercise's JVM grew 334 → 1,200 MiB over three runs — and DL4J's per-thread
 * workspaces stay at the largest size any run needed. Unlike DL4J's {@code ComputationGraph.close()} this calls
 * no {@code System.gc()}: everything it frees it frees itself.
 */
public final class Networks {
    private Networks() {
    }

    /**
     * Frees {@code net}'s native memory now and this thread's DL4J workspaces (the next network makes its own).
     * {@code net}, and any array taken from it, must not be used after.
     */
    public static void release(ComputationGraph net) {
        net.rnnClearPreviousState();
        net.clearLayersStates();
        for (Layer layer : net.getLayers()) {
            if (layer instanceof ReleasableBuffers r) {
                r.releaseBuffers();
            }
        }
        for (GraphVertex vertex : net.getVertices()) {
            if (vertex instanceof ReleasableBuffers r) {
                r.releaseBuffers();
            }
        }
        NativeArrays.free(net.params(), net.getGradientsViewArray(),
                net.getUpdater(false) == null ? null : net.getUpdater(false).getStateViewArray());
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        // what was just freed sits in glibc's arenas until the next periodic trim (up to 5 s): give it back now
        NativeRuntime.trimNativeHeap();
    }
}
