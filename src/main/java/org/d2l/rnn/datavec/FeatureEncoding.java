package org.d2l.rnn.datavec;

/** How input tokens reach the network. */
public enum FeatureEncoding {
    /** {@code [batch, vocab, steps]}, d2l's {@code F.one_hot(X.T, vocab_size)} in DL4J's NCW layout. */
    ONE_HOT,
    /** {@code [batch, 1, steps]} token indices as floats, for an {@code EmbeddingSequenceLayer}. */
    INDEX
}
