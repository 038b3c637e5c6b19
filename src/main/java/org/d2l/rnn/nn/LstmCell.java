package org.d2l.rnn.nn;

import static org.d2l.rnn.nn.RecurrentCell.columns;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * d2l 9.2: I, F, O = σ(X W_x* + H W_h* + b_*), C~ = tanh(X W_xc + H W_hc + b_c), C = F ⊙ C + I ⊙ C~,
 * H = O ⊙ tanh(C). Gate blocks [I | F | O | C~]; all four share one recurrent matmul [B, H] x [H, 4H] (one bigger
 * sgemm forward and backward runs faster than two at 32 rows), and the three sigmoid gates share one sigmoid.
 * States: h (the output) and the memory cell c.
 */
final class LstmCell implements RecurrentCell {
    @Override
    public int gates() {
        return 4;
    }

    @Override
    public int[] inputGroups() {
        return new int[]{4};
    }

    @Override
    public List<String> stateNames() {
        return List.of("h", "c");
    }

    @Override
    public Step bind(SameDiff sd, SDVariable wh, long hidden) {
        return (x, state) -> {
            SDVariable h = state[0];
            SDVariable z = x[0].add(h.mmul(wh));
            SDVariable gates = sd.nn().sigmoid(columns(z, 0, 3 * hidden));
            SDVariable input = columns(gates, 0, hidden);
            SDVariable forget = columns(gates, hidden, 2 * hidden);
            SDVariable output = columns(gates, 2 * hidden, 3 * hidden);
            SDVariable candidate = sd.math().tanh(columns(z, 3 * hidden, 4 * hidden));
            SDVariable c = forget.mul(state[1]).add(input.mul(candidate));
            return new SDVariable[]{output.mul(sd.math().tanh(c)), c};
        };
    }
}
