package org.d2l.rnn.nn;

/**
 * A recurrent layer of this package that stores the end states of truncated BPTT in arrays it reuses
 * ({@link RecurrentStates.TbpttStore}). Its {@code rnnGetTBPTTState()} therefore returns copies: an array it hands
 * out would otherwise change two minibatches later. DL4J's graph moves the TBPTT state into the rnnTimeStep state
 * after every fit through {@code rnnGetTBPTTState()}, which would make a copy per fit again; a graph that knows this
 * interface ({@code StatefulGraph}) calls {@link #previousStateFromTbptt()} instead.
 */
public interface TbpttStateCarrier {
    /** The rnnTimeStep state becomes the newest truncated-BPTT state (the same arrays, not copies). */
    void previousStateFromTbptt();
}
