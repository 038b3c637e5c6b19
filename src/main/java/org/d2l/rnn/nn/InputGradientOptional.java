package org.d2l.rnn.nn;

/**
 * A layer that can leave out dL/dInput when nothing reads it: when its input is a network input. DL4J's
 * ComputationGraph hands an input vertex's epsilon to no one (its own embedding layers return none there), and for a
 * char-level model that product is [T·B, G] × [G, V]: 3% of an LSTM-256 training iteration over the Time Machine's
 * 28 tokens; over d2l-zh's 1,028 Jay Chou tokens the RNN-256's is four times the FLOPs of its recurrent weight
 * gradient. Set by {@code StatefulGraph} after it initialises; every layer computes it by default.
 */
public interface InputGradientOptional {
    void setInputGradientNeeded(boolean needed);
}
