package org.d2l.rnn.nn;

import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.nn.weights.WeightInitXavier;

/**
 * How the weight matrices of the recurrent layers in this package start. Biases always start at zero.
 */
public enum ParamInit {
    /** d2l's from-scratch models: every weight drawn from normal(0, 0.01). */
    D2L(new WeightInitDistribution(new NormalDistribution(0, 0.01))),
    /** Xavier (Glorot) normal, with each gate block counted as its own matrix (fan-out = hidden size). */
    XAVIER(new WeightInitXavier());

    private final IWeightInit weightInit;

    ParamInit(IWeightInit weightInit) {
        this.weightInit = weightInit;
    }

    /** The DL4J weight initialiser that implements this choice. */
    public IWeightInit weightInit() {
        return weightInit;
    }
}
