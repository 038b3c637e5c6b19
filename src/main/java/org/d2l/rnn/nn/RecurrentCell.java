package org.d2l.rnn.nn;

import java.util.List;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The equations of one recurrent cell, written as SameDiff ops; {@link ScratchRecurrent} does the rest
 * (parameters, input projection, unrolling over time, state and gradient handling).
 *
 * <p>Parameters follow {@link GateParams}: {@link #gates()} column blocks of width H in Wx, Wh and b. Before
 * the time loop, X Wx + b is computed for all steps at once and split into {@link #inputGroups()}: each group is
 * a run of consecutive gate blocks handed to {@link Step#next} as one [batch, blocks*H] array. Grouping the
 * blocks whose recurrent term is computed by the same matmul saves per-step slicing ops, which dominate
 * the cost of an unrolled SameDiff graph.
 */
interface RecurrentCell {
    /** Number of H-wide gate blocks in Wx, Wh and b. */
    int gates();

    /** Gate blocks per input group, in column order; they add up to {@link #gates()}. */
    int[] inputGroups();

    /** Names of the recurrent state arrays, each [batch, H]; the first is the hidden state h, the layer output. */
    List<String> stateNames();

    /** Creates the step function; slices of Wh are taken here, once, not in every step. */
    Step bind(SameDiff sd, SDVariable recurrentWeights, long hidden);

    /** One time step: new states from this step's input groups and the previous states. */
    interface Step {
        SDVariable[] next(SDVariable[] inputGroups, SDVariable[] state);
    }

    /** Columns [from, to) of a 2-D variable (2-D slices are safe in strided_slice_bp, 3-D ones crashed it). */
    static SDVariable columns(SDVariable matrix, long from, long to) {
        return matrix.get(SDIndex.all(), SDIndex.interval(from, to));
    }
}
