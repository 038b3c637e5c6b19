package org.d2l.rnn.nn;

import static org.d2l.rnn.nn.RecurrentCell.columns;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * d2l 9.2: I, F, O = σ(X W_x* + H W_h* + b_*), C~ = tanh(X W_xc + H W_hc + b_c), C = F ⊙ C + I ⊙ C~,
 * H = O ⊙ tanh(C). Gate blocks [I | F | O | C~]; the three sigmoid gates share one matmul and one sigmoid.
 * States: h (the output) and the memory cell c.
 */
final class LstmCell implements RecurrentCell {
    @Override
    public int gates() {
        return 4;
    }

    @Override
    public int[] inputGroups() {
        return new int[]{3, 1};
    }

    @Override
    public List<String> stateNames() {
        return List.of("h", "c");
    }

    @Override
    public Step bind(SameDiff sd, SDVariable wh, long hidden) {
        SDVariable whGates = columns(wh, 0, 3 * hidden);
        SDVariable whCandidate = columns(wh, 3 * hidden, 4 * hidden);
        return (x, state) -> {
            SDVariable h = state[0];
            SDVariable gates = sd.nn().sigmoid(x[0].add(h.mmul(whGates)));
            SDVariable input = columns(gates, 0, hidden);
            SDVariable forget = columns(gates, hidden, 2 * hidden);
            SDVariable output = columns(gates, 2 * hidden, 3 * hidden);
            SDVariable candidate = sd.math().tanh(x[1].add(h.mmul(whCandidate)));
            SDVariable c = forget.mul(state[1]).add(input.mul(candidate));
            return new SDVariable[]{output.mul(sd.math().tanh(c)), c};
        };
    }
}
