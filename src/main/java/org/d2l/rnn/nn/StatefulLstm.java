package org.d2l.rnn.nn;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link LSTM} (same configuration, parameters, forward pass and gradient code) whose truncated-BPTT
 * backward pass starts from the state the forward pass started from. See {@link StatefulLstmLayer} for the bug.
 */
public class StatefulLstm extends LSTM {

    /** For JSON deserialisation of saved models. */
    public StatefulLstm() {
    }

    public StatefulLstm(int nOut, Activation activation) {
        copyConfiguration(new LSTM.Builder().nOut(nOut).activation(activation).build(), this);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return Instantiation.wire(new StatefulLstmLayer(conf, networkDataType), initializer(), conf, listeners,
                layerIndex, paramsView, initializeParams);
    }

    /**
     * LSTM's only constructor that applies the builder's defaults is private, so the configuration a builder made
     * is copied field by field (every field of LSTM and its superclasses) — nothing is left to a second set of defaults.
     */
    private static void copyConfiguration(LSTM from, LSTM to) {
        for (Class<?> c = LSTM.class; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(to, f.get(from));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy LSTM field " + f.getName(), e);
                }
            }
        }
    }
}
