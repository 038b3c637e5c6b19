package org.d2l.rnn.nn;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;

/** d2l 8.5: H = act(X W_xh + H W_hh + b_h), act tanh (d2l) or e.g. relu (d2l's exercise). One gate block. */
final class RnnCell implements RecurrentCell {
    private final Activation activation;

    RnnCell(Activation activation) {
        this.activation = activation;
    }

    @Override
    public int gates() {
        return 1;
    }

    @Override
    public int[] inputGroups() {
        return new int[]{1};
    }

    @Override
    public List<String> stateNames() {
        return List.of("h");
    }

    @Override
    public Step bind(SameDiff sd, SDVariable wh, long hidden) {
        return (x, state) -> new SDVariable[]{activation.asSameDiff(sd, x[0].add(state[0].mmul(wh)))};
    }
}
