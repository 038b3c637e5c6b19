package org.d2l.rnn.models;

import org.d2l.rnn.UserError;

/**
 * What language model to build: the d2l knobs (kind, hidden size, layers, one-hot vs embedding input,
 * tanh vs ReLU) and the vocabulary it predicts over.
 *
 * @param embedding  0 for one-hot input (d2l); otherwise the size of a learned embedding (exercise 8.6)
 * @param activation {@code tanh} (d2l) or {@code relu} (exercise) for the plain RNNs
 */
public record ModelSpec(ModelKind kind, int vocabSize, int hidden, int layers, int embedding, String activation) {
    public ModelSpec {
        require(vocabSize > 1, "the vocabulary must have at least 2 tokens, got " + vocabSize);
        require(hidden > 0, "--hidden must be positive, got " + hidden);
        require(layers > 0, "--layers must be positive, got " + layers);
        require(embedding >= 0, "--embedding must be 0 (one-hot) or positive, got " + embedding);
        require("tanh".equals(activation) || "relu".equals(activation),
                "--activation must be tanh or relu, got " + activation);
    }

    public static ModelSpec of(ModelKind kind, int vocabSize, int hidden, int layers) {
        return new ModelSpec(kind, vocabSize, hidden, layers, 0, "tanh");
    }

    public boolean oneHot() {
        return embedding == 0;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UserError(message);
        }
    }
}
