package org.d2l.rnn.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The parameter layout shared by every layer in this package, so that the same flat parameter vector can be
 * loaded into {@link FastGru} or a {@link ScratchRecurrent} GRU.
 *
 * <p>A cell with G gates (RNN 1, GRU 3, LSTM 4) and hidden size H has three parameters, stored in this order,
 * each reshaped in 'c' order from the layer's flat parameter view:
 * <ul>
 *   <li>{@value #INPUT_WEIGHTS} [nIn, G*H]: the input weights of all gates side by side (d2l's W_x*),</li>
 *   <li>{@value #RECURRENT_WEIGHTS} [H, G*H]: the hidden-to-hidden weights (d2l's W_h*),</li>
 *   <li>{@value #BIAS} [G*H]: the biases (d2l's b_*).</li>
 * </ul>
 * Fusing the gates into one matrix lets a layer compute all input projections in one matmul; the column block of
 * each gate is listed by the cell classes. In a ComputationGraph the keys are prefixed with the layer name,
 * e.g. {@code net.getParam("gru_Wx")}.
 */
public final class GateParams {
    /** Input-to-hidden weights, [nIn, G*H]. */
    public static final String INPUT_WEIGHTS = "Wx";
    /** Hidden-to-hidden weights, [H, G*H]. */
    public static final String RECURRENT_WEIGHTS = "Wh";
    /** Biases, [G*H]. */
    public static final String BIAS = "b";
    /** All keys, in storage order. */
    public static final List<String> KEYS = List.of(INPUT_WEIGHTS, RECURRENT_WEIGHTS, BIAS);

    private GateParams() {
    }

    /** Shape of parameter {@code key} for a cell with {@code gates} gate blocks. */
    public static long[] shape(String key, long nIn, long hidden, int gates) {
        return switch (key) {
            case INPUT_WEIGHTS -> new long[]{nIn, gates * hidden};
            case RECURRENT_WEIGHTS -> new long[]{hidden, gates * hidden};
            case BIAS -> new long[]{gates * hidden};
            default -> throw new IllegalArgumentException("Unknown parameter " + key);
        };
    }

    static long count(long nIn, long hidden, int gates) {
        return (nIn + hidden + 1) * gates * hidden;
    }

    /** Views of a flat parameter (or gradient) vector, one per key; writes go through to the flat array. */
    static Map<String, INDArray> views(INDArray flat, long nIn, long hidden, int gates) {
        INDArray row = flat.reshape(new long[]{flat.length()}); // a row vector's data is contiguous in any order
        Map<String, INDArray> views = new LinkedHashMap<>();
        long start = 0;
        for (String key : KEYS) {
            long[] shape = shape(key, nIn, hidden, gates);
            long length = shape.length == 1 ? shape[0] : shape[0] * shape[1];
            views.put(key, row.get(NDArrayIndex.interval(start, start + length)).reshape('c', shape));
            start += length;
        }
        return views;
    }

    /**
     * Initialises the weights in place; each gate block is treated as its own [fanIn, H] matrix, which is what
     * matters for Xavier's variance. Biases are set to zero, as in d2l. Public for layers and vertices outside
     * this package that hold GRU parameters (the seq2seq decoder).
     */
    public static void initialise(Map<String, INDArray> params, IWeightInit inputInit, IWeightInit recurrentInit,
                           long nIn, long hidden) {
        INDArray wx = params.get(INPUT_WEIGHTS);
        INDArray wh = params.get(RECURRENT_WEIGHTS);
        inputInit.init(nIn, hidden, wx.shape(), 'c', wx);
        recurrentInit.init(hidden, hidden, wh.shape(), 'c', wh);
        params.get(BIAS).assign(0);
    }
}
