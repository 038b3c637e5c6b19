package org.d2l.rnn.nn;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reading and writing the per-layer state maps of DL4J's {@code RecurrentLayer} contract (one map for
 * {@code rnnTimeStep}, one for truncated BPTT), shared by both runtime layers of this package.
 *
 * <p>Every array made here lives outside any workspace: a stored state outlives the call that made it, and a
 * copy made inside DL4J's layer workspace fails with "outdated workspace pointer" on the next call.
 */
final class RecurrentStates {
    private RecurrentStates() {
    }

    /**
     * The stored states to start from, null where none is stored (the kernels start those from zeros without
     * making an array: a zero state of every layer and minibatch, outside any workspace, added up to ~2 MiB of
     * native garbage per epoch for a bidirectional 2-layer LSTM). {@code stored} may be null.
     */
    static INDArray[] stored(Map<String, INDArray> stored, List<String> names, long batch) {
        INDArray[] states = new INDArray[names.size()];
        for (int i = 0; i < states.length; i++) {
            INDArray state = stored == null ? null : stored.get(names.get(i));
            if (state != null && state.size(0) != batch) {
                throw new IllegalStateException("Stored recurrent state has batch size " + state.size(0)
                        + " but the input has " + batch + "; call rnnClearPreviousState() first");
            }
            states[i] = state;
        }
        return states;
    }

    /**
     * Stores the end states of truncated BPTT into one layer's TBPTT map, in arrays it made two stores earlier
     * where their shape fits, instead of a new array every minibatch. Why: each replaced array waited for a garbage
     * collection to free its native memory, and with -Xmx1g collections are rare, so the resident set of a 500-epoch
     * LSTM run climbed about 0.6 MiB per epoch between collections (issue 16; 64 KiB of states per minibatch). Two
     * stores earlier, not one: the array stored by the previous minibatch is this minibatch's start state, which
     * its backward pass may still read; the one before that is read by nothing (DL4J points the rnnTimeStep map at
     * the newest TBPTT states after every fit). Only arrays this store made are reused, never a state put into the
     * map from outside (a checkpoint), and it holds at most two per state, also when the map is cleared between
     * minibatches (random sampling: then one). Not for the rnnTimeStep map outside a session ({@link StepStore}):
     * callers save and restore its arrays around generation (Generator).
     */
    static final class TbpttStore {
        /** Per state name: an array this store made that nothing reads any more, for the next store. */
        private final Map<String, INDArray> spare = new java.util.HashMap<>();
        /** Per state name: the array this store put into the map last. */
        private final Map<String, INDArray> current = new java.util.HashMap<>();

        void store(Map<String, INDArray> target, List<String> names, INDArray... finalStates) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                for (int i = 0; i < finalStates.length; i++) {
                    String name = names.get(i);
                    INDArray old = target.get(name);
                    INDArray mine = current.get(name);
                    INDArray array = spare.remove(name);
                    if (array == null && mine != null && old != mine) {
                        // the map no longer holds it (cleared: this minibatch started from zeros), so none reads it
                        array = mine;
                    }
                    if (array != null && java.util.Arrays.equals(array.shape(), finalStates[i].shape())
                            && array.dataType() == finalStates[i].dataType()) {
                        array.assign(finalStates[i]);
                    } else {
                        array = finalStates[i].dup('c');
                    }
                    target.put(name, array);
                    if (mine != null && mine != array) {
                        spare.put(name, mine); // this minibatch's start state: free once this minibatch is done
                    }
                    current.put(name, array);
                }
            }
        }
    }

    /**
     * Stores the end states of {@code rnnTimeStep} into one layer's state map: detached copies, except in an
     * {@link InferenceSession}, where a step writes into the arrays this store put into the map earlier in the same
     * session (the session's caller owns the stored state, see there). Why: a new array per state and step was
     * 17% of the time of a greedy LSTM-256 generation step (ND4J makes every array with a native allocation, shape
     * information and a deallocator registration).
     */
    static final class StepStore {
        private final HostBuffers host = new HostBuffers();
        /** Per state name: the array this store put into the map in session {@link #session}. */
        private final Map<String, INDArray> mine = new java.util.HashMap<>();
        private long session;

        void store(Map<String, INDArray> target, List<String> names, INDArray... finalStates) {
            long now = InferenceSession.currentId();
            if (now != session) {
                mine.clear();
                session = now;
            }
            if (now == 0) {
                RecurrentStates.store(target, names, finalStates);
                return;
            }
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                for (int i = 0; i < finalStates.length; i++) {
                    String name = names.get(i);
                    INDArray end = finalStates[i];
                    INDArray array = mine.get(name);
                    if (array != null && target.get(name) == array && end.rank() == 2
                            && java.util.Arrays.equals(array.shape(), end.shape()) && array.dataType() == end.dataType()) {
                        host.copyRows(end, array, end.size(0), false);
                    } else {
                        array = end.dup('c');
                        mine.put(name, array);
                    }
                    target.put(name, array);
                }
            }
        }
    }

    /** Copies of a state map's arrays, outside any workspace. */
    static Map<String, INDArray> copies(Map<String, INDArray> states) {
        Map<String, INDArray> out = new java.util.HashMap<>();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            states.forEach((name, state) -> out.put(name, state.dup()));
        }
        return out;
    }

    /** Stores detached copies of the final states under their names. */
    static void store(Map<String, INDArray> target, List<String> names, INDArray... finalStates) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (int i = 0; i < finalStates.length; i++) {
                target.put(names.get(i), finalStates[i].dup('c'));
            }
        }
    }
}
