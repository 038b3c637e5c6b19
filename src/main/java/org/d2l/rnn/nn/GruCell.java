package org.d2l.rnn.nn;

import static org.d2l.rnn.nn.RecurrentCell.columns;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * d2l 9.1, with the reset gate applied BEFORE the matmul (unlike the libnd4j gru op and PyTorch):
 * R = σ(X W_xr + H W_hr + b_r), Z = σ(X W_xz + H W_hz + b_z), H~ = tanh(X W_xh + (R ⊙ H) W_hh + b_h),
 * H = Z ⊙ H + (1 − Z) ⊙ H~. Gate blocks [R | Z | H~]; R and Z share one recurrent matmul.
 */
final class GruCell implements RecurrentCell {
    @Override
    public int gates() {
        return 3;
    }

    @Override
    public int[] inputGroups() {
        return new int[]{2, 1};
    }

    @Override
    public List<String> stateNames() {
        return List.of("h");
    }

    @Override
    public Step bind(SameDiff sd, SDVariable wh, long hidden) {
        SDVariable whGates = columns(wh, 0, 2 * hidden);
        SDVariable whCandidate = columns(wh, 2 * hidden, 3 * hidden);
        return (x, state) -> {
            SDVariable h = state[0];
            SDVariable gates = sd.nn().sigmoid(x[0].add(h.mmul(whGates)));
            SDVariable reset = columns(gates, 0, hidden);
            SDVariable update = columns(gates, hidden, 2 * hidden);
            SDVariable candidate = sd.math().tanh(x[1].add(reset.mul(h).mmul(whCandidate)));
            return new SDVariable[]{candidate.add(update.mul(h.sub(candidate)))}; // = Z*H + (1-Z)*H~
        };
    }
}
