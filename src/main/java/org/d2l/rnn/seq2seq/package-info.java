/**
 * d2l 9.6–9.8: the encoder–decoder architecture, sequence-to-sequence learning with RNNs (English → French) and
 * beam search, on DL4J 1.0.0-M2.1.
 *
 * <h2>Training: one ComputationGraph</h2>
 * {@link org.d2l.rnn.seq2seq.Seq2SeqGraph} builds d2l's model (embedding + multi-layer GRU encoder; decoder
 * whose GRU starts from the encoder's final states and sees the encoder's top state concatenated to every
 * input; dense softmax output) with teacher forcing; {@link org.d2l.rnn.seq2seq.Seq2SeqBatch} makes its
 * minibatches. The decoder is a custom vertex ({@link org.d2l.rnn.seq2seq.DecoderVertex}), because DL4J's
 * built-in layers cannot start a recurrent layer from another vertex's output. It runs on
 * {@code org.d2l.rnn.nn.GruStack} (the same hand-written GRU as FastGru); its SameDiff definition is kept as
 * the tested reference. The encoder's states at the true source lengths come from
 * {@link org.d2l.rnn.seq2seq.FinalStateVertex}, a batched DL4J LastTimeStepVertex. Loss normalisation against
 * d2l's {@code MaskedSoftmaxCELoss}: {@link org.d2l.rnn.seq2seq.MaskedLoss}.
 *
 * <h2>Inference: d2l's interfaces, step by step</h2>
 * {@link org.d2l.rnn.seq2seq.Encoder}, {@link org.d2l.rnn.seq2seq.Decoder} (with {@code initState}) and
 * {@link org.d2l.rnn.seq2seq.EncoderDecoder} are d2l's base classes; {@code Seq2SeqGraph.inferenceModel} implements
 * them with {@code GruStack}'s fused GRU kernels (OpenBLAS matmuls, vectorised step math) on a trained graph's
 * parameters, so the decoder can run one token at a time from any
 * state. {@link org.d2l.rnn.seq2seq.Seq2SeqDecoding} does greedy and beam search on any such model.
 *
 * <h2>Where this differs from d2l, on purpose</h2>
 * <ul>
 *   <li>The encoder's final state is read at each sentence's true length (d2l's GRU runs over the padding).</li>
 *   <li>The decoding context stays the encoder's unless {@link org.d2l.rnn.seq2seq.ContextMode#DRIFTING} asks for
 *       d2l's behaviour, where it drifts to the decoder's own state after the first step.</li>
 * </ul>
 */
package org.d2l.rnn.seq2seq;
