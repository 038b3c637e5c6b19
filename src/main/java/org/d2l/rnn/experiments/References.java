package org.d2l.rnn.experiments;

import java.util.Map;
import org.d2l.rnn.report.LmReport.Reference;

/** The PyTorch reference's numbers (../shared/reference/pytorch/RESULTS.md, same settings, seed 0). */
final class References {
    private static final String FILBY = "time travelleryou can show black is white by argument said filby";

    static final Reference TM_RNN_SCRATCH_SEQ = new Reference(Map.of(1, 24.758, 50, 8.606, 100, 7.478, 200, 3.036,
            300, 1.277, 400, 1.048, 500, 1.040), FILBY);
    static final Reference TM_RNN_SCRATCH_RANDOM = new Reference(Map.of(1, 24.772, 50, 8.795, 100, 7.649, 200, 4.947,
            300, 2.114, 400, 1.763, 500, 1.571), "time traveller but now you begin to seethe object of my investig");
    static final Reference TM_RNN = new Reference(Map.of(1, 21.974, 50, 7.312, 100, 3.751, 200, 1.601, 300, 1.420,
            400, 1.315, 500, 1.280), FILBY);
    static final Reference TM_GRU = new Reference(Map.of(1, 22.868, 50, 9.705, 100, 7.712, 200, 3.833, 300, 1.221,
            400, 1.056, 500, 1.033), FILBY);
    static final Reference TM_LSTM = new Reference(Map.of(1, 23.757, 50, 11.248, 100, 8.506, 200, 4.488, 300, 1.378,
            400, 1.069, 500, 1.040), FILBY);
    static final Reference TM_DEEP_LSTM = new Reference(Map.of(1, 21.257, 50, 14.849, 100, 9.365, 200, 1.970,
            300, 1.044, 400, 1.030, 500, 1.022), FILBY);
    static final Reference JAY_CHOU_RNN = new Reference(Map.of(1, 799.949, 50, 34.221, 100, 3.384, 150, 1.196,
            200, 1.032, 250, 1.016), null);

    private References() {
    }
}
