package org.d2l.rnn.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A ComputationGraph that can keep its recurrent state from one {@code fit} to the next.
 *
 * <p>Why: d2l's sequential partitioning carries the hidden state from minibatch to minibatch, detached from the
 * earlier graph. DL4J's truncated BPTT does exactly that between the segments of ONE fit call, but clears the
 * state at the start and end of every fit. With {@link #setCarryState(boolean) carryState} on, those clears are
 * skipped, so fitting minibatch after minibatch with a TBPTT length equal to the minibatch length carries the
 * state across minibatches (and epochs, if the caller does not {@link #resetState()}).
 */
public class StatefulGraph extends ComputationGraph {
    private boolean carryState;

    public StatefulGraph(ComputationGraphConfiguration conf) {
        super(conf);
    }

    /** The same network (configuration and parameters) as a StatefulGraph, e.g. after restoring a zip. */
    public static StatefulGraph of(ComputationGraph net) {
        if (net instanceof StatefulGraph s) {
            return s;
        }
        StatefulGraph g = new StatefulGraph(net.getConfiguration());
        g.init(net.params(), false);
        if (net.getUpdater() != null && net.getUpdater().getStateViewArray() != null) {
            g.getUpdater().getStateViewArray().assign(net.getUpdater().getStateViewArray());
        }
        return g;
    }

    public void setCarryState(boolean carryState) {
        this.carryState = carryState;
    }

    public boolean carriesState() {
        return carryState;
    }

    /** Forgets the recurrent state, whatever {@code carryState} says (d2l: a fresh state). */
    public void resetState() {
        super.rnnClearPreviousState();
    }

    @Override
    public void rnnClearPreviousState() {
        if (!carryState) {
            super.rnnClearPreviousState();
        }
    }
}
