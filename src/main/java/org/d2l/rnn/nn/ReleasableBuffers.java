package org.d2l.rnn.nn;

/**
 * A runtime layer or vertex that keeps native buffers of its own across iterations (outside DL4J's workspaces).
 *
 * <p>Why: ND4J frees an array's native memory when the garbage collector finds its small Java object, and with a
 * Java heap that rarely fills that can be much later; a run that ends, or a process that trains run after run,
 * gives the buffers back at once with {@link #releaseBuffers()}. The next pass makes new ones if it comes.
 */
public interface ReleasableBuffers {
    /** Frees the buffers kept between passes now; views of them handed out before must not be used after. */
    void releaseBuffers();
}
