/**
 * Recurrent layers for d2l's RNN chapters on DL4J 1.0.0-M2.1. All take NCW input [batch, nIn, T] (one-hot or
 * embedded tokens) and return [batch, nOut, T] for any T and batch; all are stateful DL4J {@code RecurrentLayer}s
 * (stateful {@code rnnTimeStep}, truncated BPTT carries the state) and survive {@code ModelSerializer}.
 *
 * <h2>Which class is what</h2>
 * <ul>
 *   <li>{@link org.d2l.rnn.nn.FastGru} — the GRU to use: d2l 9.1's equations, forward pass and hand-written BPTT in
 *       a fused kernel ({@code GruKernel}: OpenBLAS matmuls, one step-math call per step, see below), runtime
 *       {@link org.d2l.rnn.nn.FastGruLayer}.</li>
 *   <li>{@link org.d2l.rnn.nn.StatefulSimpleRnn}, {@link org.d2l.rnn.nn.StatefulLstm} — DL4J's {@code SimpleRnn} and
 *       {@code LSTM} configurations and parameters, run by the fused kernels ({@code RnnKernel}, {@code LstmKernel})
 *       with a backward pass from the stored state.</li>
 *   <li>{@link org.d2l.rnn.nn.ScratchRecurrent} — d2l's "from scratch" models: a {@link org.d2l.rnn.nn.Cell}
 *       (RNN with tanh or relu, GRU, LSTM) written as SameDiff ops, unrolled over time, differentiated by
 *       SameDiff; runtime {@link org.d2l.rnn.nn.ScratchRecurrentLayer}, which executes SameDiff's forward and
 *       backward ops with a {@link org.d2l.rnn.nn.SameDiffPlan} (fixed op order, arrays allocated once per shape,
 *       {@code PlanKernels} for the ops that dominate) instead of SameDiff's session. Each cell is one small class
 *       ({@code RnnCell}, {@code GruCell}, {@code LstmCell}); unrolling, state, per-shape graphs and plans and the
 *       gradient correction are written once, in the config and runtime classes.</li>
 *   <li>{@link org.d2l.rnn.nn.GruStack} — FastGru's GRU outside a DL4J layer: a stack of layers (PyTorch's
 *       {@code nn.GRU(num_layers, dropout)}) from given initial states, with dL/dh0 for each layer; for custom
 *       vertices (the seq2seq decoder) and step-by-step inference.</li>
 *   <li>{@link org.d2l.rnn.nn.GateParams} — the parameter layout both share (Wx, Wh, b with the gate blocks side
 *       by side), so a FastGru and a scratch GRU can load each other's parameters;
 *       {@link org.d2l.rnn.nn.ParamInit} — d2l's normal(0, 0.01) or Xavier.</li>
 * </ul>
 *
 * <h2>How the fused kernels run</h2>
 * {@code RnnKernel}, {@code GruKernel} and {@code LstmKernel} (behind {@code StatefulSimpleRnn}, {@code FastGru},
 * {@code StatefulLstm} and {@code GruStack}) keep time-major buffers with the gates of a step side by side, call
 * OpenBLAS directly for every matmul ({@code Blas}) and do a step's elementwise work in one call ({@code StepMath}):
 * SIMD loops with the JDK's vector API for float on the CPU ({@code VectorStepMath}, needs
 * {@code --add-modules jdk.incubator.vector}, which every launch path of this project passes), ND4J ops otherwise
 * ({@code Nd4jStepMath}: double precision — what the gradient checks run —, GPU backends, hidden sizes that are no
 * multiple of the vector length).
 *
 * <p>The three DL4J runtime layers on a kernel ({@code FastGruLayer}, {@code StatefulSimpleRnnLayer},
 * {@code StatefulLstmLayer}) reach it through one {@code KernelLayerAdapter}: start state → kernel → end state →
 * copy into DL4J's workspace, the backward pass over the same forward buffers, and the time direction.
 *
 * <h2>Masks</h2>
 * The recurrent layers of this package do not read feature masks: every step is computed, padded ones included,
 * as PyTorch's {@code nn.RNN}/{@code nn.GRU}/{@code nn.LSTM} do on a padded batch (d2l's seq2seq encoder runs so).
 * That is right for right-padded input, the only kind this project makes: the layers are causal, so a real step
 * never sees padding; the loss skips padded steps through the label mask, and whoever needs the state at a
 * sequence's true end reads it there by the mask ({@code seq2seq.FinalStateVertex}). A mask passes on unchanged
 * to the next layer. {@code FusedBidirectional} with a mask uses DL4J's {@code Bidirectional} runtime, which
 * reverses each sequence within its mask, so its backward half starts at the true end. Left-padded input would
 * need the masks applied; nothing here makes it. {@code MaskBehaviourTest} holds the layers to this.
 *
 * <p>Sequences travel between them time-major ({@link org.d2l.rnn.nn.TimeMajor}): a layer hands DL4J its [B, H, T]
 * activations as a view of a [T·B, H] matrix, and the next kernel, {@link org.d2l.rnn.nn.FusedRnnOutput} (DL4J's
 * {@code RnnOutputLayer} with a runtime that trains softmax + cross-entropy on those rows with three BLAS calls)
 * and {@link org.d2l.rnn.nn.FusedBidirectional} (DL4J's {@code Bidirectional} whose backward-in-time half runs
 * reversed inside its kernel, {@link org.d2l.rnn.nn.TimeReversible}) read the rows without copying. Both keep
 * DL4J's configuration and numbers; tests compare them with DL4J's own runtimes.
 *
 * <h2>DL4J wrappers</h2>
 * <ul>
 *   <li>{@code Bidirectional} (and {@code FusedBidirectional}) accepts {@code FastGru} (a {@code BaseRecurrentLayer}) but refuses
 *       {@code ScratchRecurrent} (a {@code SameDiffLayer}) when configured.</li>
 *   <li>{@code LastTimeStep} accepts {@code FastGru}; with {@code ScratchRecurrent} it fails at run time (its
 *       runtime only knows DL4J's own recurrent layers): use {@code LastTimeStepVertex} there.</li>
 * </ul>
 *
 * <h2>Why not SameDiff's built-in {@code gru} op</h2>
 * Its backward pass (libnd4j {@code gru_bp}) gets the reset-gate gradient wrong, so training with it silently
 * follows a wrong gradient, and its forward pass applies the reset gate after the recurrent matmul, which is not
 * d2l's GRU. {@code gruCell} has no gradient at all. See the shared notes dl4j-gru.md.
 *
 * <h2>M2.1 quirks handled here</h2>
 * DL4J's SameDiff layer runtime returns twice the true gradient (parameters and dL/dInput); the scratch runtime
 * halves it, FastGru never builds a SameDiff graph. For dropout between stacked FastGru layers set the upper layer's
 * {@code dropOut} (it applies to the layer's input): DL4J's {@code DropoutLayer} throws on masked sequence input.
 */
package org.d2l.rnn.nn;
