package org.d2l.rnn.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.d2l.rnn.datavec.LanguageModelIterator;
import org.d2l.rnn.models.StatefulGraph;
import org.d2l.rnn.nn.InferenceSession;
import org.d2l.rnn.text.Tokenizer;
import org.d2l.rnn.text.Vocab;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * d2l's {@code predict_ch8}: warm the state up on a prefix, then emit one token at a time, each fed back in.
 *
 * <p>Unidirectional models step with {@code rnnTimeStep}, which keeps the recurrent state between calls.
 * Bidirectional models cannot be stepped (their backward half needs the future), so the whole text so far is
 * re-read for every new token — which also shows why their generations are useless: in training every
 * position saw its successor, at generation time it never does.
 */
public final class Generator {
    private static final Logger LOG = LoggerFactory.getLogger(Generator.class);

    private final ComputationGraph net;
    private final Vocab vocab;
    private final Tokenizer tokenizer;
    private final boolean oneHot;
    private final boolean stepwise;

    /**
     * @param oneHot   the network reads one-hot input (else token indices for an embedding layer)
     * @param stepwise the network can be stepped with {@code rnnTimeStep} (not bidirectional)
     */
    public Generator(ComputationGraph net, Vocab vocab, Tokenizer tokenizer, boolean oneHot, boolean stepwise) {
        this.net = net;
        this.vocab = vocab;
        this.tokenizer = tokenizer;
        this.oneHot = oneHot;
        this.stepwise = stepwise;
    }

    /** Greedy generation: always the most likely next token. */
    public String greedy(String prefix, int length) {
        return generate(prefix, length, 0, null);
    }

    /**
     * Samples from the softmax sharpened or flattened by a temperature: from p^(1/T), normalised (d2l's exercise
     * "sample from p^α" with α = 1/T). T &lt; 1 approaches greedy, T &gt; 1 flattens towards uniform.
     */
    public String sample(String prefix, int length, double temperature, Random rng) {
        if (!(temperature > 0)) {
            throw new org.d2l.rnn.UserError("--temperature must be positive, got " + temperature);
        }
        return generate(prefix, length, temperature, rng);
    }

    private String generate(String prefix, int length, double temperature, Random rng) {
        List<Integer> tokens = new ArrayList<>();
        for (String t : tokenizer.tokenize(prefix)) {
            if (!vocab.contains(t)) {
                LOG.warn("'{}' is not in the model's vocabulary; it is read as <unk>", t);
            }
            tokens.add(vocab.indexOf(t));
        }
        if (tokens.isEmpty()) {
            throw new org.d2l.rnn.UserError("--prefix has no tokens; give at least one character");
        }
        if (!stepwise) {
            for (int i = 0; i < length; i++) {
                tokens.add(next(lastStep(net.outputSingle(encode(tokens))), temperature, rng));
            }
            return join(tokens);
        }
        Map<String, Map<String, INDArray>> saved = net.rnnGetPreviousStates();
        // clearing also drops the state training carries between minibatches (DL4J's TBPTT state): keep it too
        Map<String, Map<String, INDArray>> carried = net instanceof StatefulGraph s ? s.carriedState() : Map.of();
        clearState();
        // weights stay as they are until the end, and only this loop reads the stepped state: the kernels keep their
        // packed weights between characters and store each state in place (InferenceSession)
        try (InferenceSession ignored = InferenceSession.open()) {
            double[] probs = lastStep(net.rnnTimeStep(encode(tokens))[0]);
            INDArray step = encode(List.of(tokens.get(tokens.size() - 1))); // one array for every step, rewritten
            for (int i = 0; i < length; i++) {
                int next = next(probs, temperature, rng);
                if (i + 1 < length) {
                    rewrite(step, tokens.get(tokens.size() - 1), next);
                    probs = lastStep(net.rnnTimeStep(step)[0]);
                }
                tokens.add(next);
            }
        } finally {
            clearState();
            net.rnnSetPreviousStates(saved); // generation mid-training must not disturb a carried training state
            if (net instanceof StatefulGraph s) {
                s.setCarriedState(carried);
            }
        }
        return join(tokens);
    }

    private void clearState() {
        if (net instanceof StatefulGraph s) {
            s.resetState();
        } else {
            net.rnnClearPreviousState();
        }
    }

    private INDArray encode(List<Integer> tokens) {
        int[][] idx = {tokens.stream().mapToInt(Integer::intValue).toArray()};
        if (oneHot && idx[0].length == 1) {
            // the generation step: one one-hot column made directly in the network's type (no cast op per character)
            INDArray x = Nd4j.create(net.params().dataType(), 1, vocab.size(), 1);
            x.putScalar(0, idx[0][0], 0, 1.0);
            return x;
        }
        if (oneHot) {
            return LanguageModelIterator.oneHot(idx, vocab.size()).castTo(net.params().dataType());
        }
        return Nd4j.createFromArray(idx).castTo(net.params().dataType()).reshape(1, 1, idx[0].length);
    }

    /** The one-step input {@code step} (from {@link #encode}) that held token {@code previous} made to hold {@code next}. */
    private void rewrite(INDArray step, int previous, int next) {
        if (oneHot) {
            step.putScalar(new long[]{0, previous, 0}, 0.0);
            step.putScalar(new long[]{0, next, 0}, 1.0);
        } else {
            step.putScalar(new long[]{0, 0, 0}, next);
        }
    }

    /**
     * The last step's probabilities, read into Java element by element (no view made: a generation step pays for
     * every array): the choice of the next token is a loop over them.
     */
    private static double[] lastStep(INDArray out) {
        long last = out.size(2) - 1;
        double[] p = new double[(int) out.size(1)];
        for (int i = 0; i < p.length; i++) {
            p[i] = out.getDouble(0, i, last);
        }
        return p;
    }

    private static int next(double[] probs, double temperature, Random rng) {
        return temperature == 0 ? argMax(probs) : draw(probs, temperature, rng);
    }

    /** The first index of the largest value, as ND4J's argMax. */
    private static int argMax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int draw(double[] probs, double temperature, Random rng) {
        double[] p = probs.clone();
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.pow(p[i], 1.0 / temperature);
            sum += p[i];
        }
        double u = rng.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u <= 0) {
                return i;
            }
        }
        return p.length - 1;
    }

    private String join(List<Integer> tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            if (tokenizer == Tokenizer.WORD && !sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(vocab.token(t));
        }
        return sb.toString();
    }
}
