package org.d2l.rnn.seq2seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.nd4j.common.base.Preconditions;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Translating one source sentence with a trained {@link EncoderDecoder}: d2l 9.7's greedy
 * {@code predict_seq2seq} and d2l 9.8's beam search. Both feed the decoder one token at a time, starting with
 * {@code <bos>}, and stop a sequence at {@code <eos>} or after {@code maxLength} generated tokens.
 *
 * @param <O> the encoder's outputs
 * @param <S> the decoder state
 */
public final class Seq2SeqDecoding<O, S> {
    private final EncoderDecoder<O, S> model;
    private final int bos;
    private final int eos;
    private final int maxLength;

    public Seq2SeqDecoding(EncoderDecoder<O, S> model, int bos, int eos, int maxLength) {
        Preconditions.checkArgument(maxLength > 0, "maxLength must be positive, got %s", maxLength);
        this.model = model;
        this.bos = bos;
        this.eos = eos;
        this.maxLength = maxLength;
    }

    /** The decoder state after encoding {@code source} (token indices without padding). */
    private S encode(int[] source) {
        return model.start(new int[][]{source}, new int[]{source.length});
    }

    /** Greedy search: the most likely next token at every step. */
    public Translation greedy(int[] source) {
        return greedy(List.of(source), 0).get(0);
    }

    /**
     * Greedy search for several sources at once: one batch through the encoder, then one decoder step for all rows
     * at a time until every row has produced {@code <eos>} or {@code maxLength} tokens. Rows are padded with
     * {@code pad} to the longest source; the encoder's state is read at each row's own length and the GRU is
     * causal, so padding does not change a row's result (up to the float rounding of a different batch shape).
     */
    public List<Translation> greedy(List<int[]> sources, int pad) {
        int batch = sources.size();
        int longest = sources.stream().mapToInt(s -> s.length).max().orElse(0);
        int[][] padded = new int[batch][longest];
        int[] lengths = new int[batch];
        for (int i = 0; i < batch; i++) {
            Arrays.fill(padded[i], pad);
            System.arraycopy(sources.get(i), 0, padded[i], 0, sources.get(i).length);
            lengths[i] = sources.get(i).length;
        }
        S state = model.start(padded, lengths);
        int[][] input = new int[batch][1];
        for (int[] row : input) {
            row[0] = bos;
        }
        List<List<Integer>> tokens = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            tokens.add(new ArrayList<>());
        }
        double[] logProbability = new double[batch];
        Translation[] done = new Translation[batch];
        int open = batch;
        for (int step = 0; step < maxLength && open > 0; step++) {
            Decoder.Decoded<S> next = model.decoder().forward(input, state);
            INDArray logProbabilities = next.logProbabilities();
            INDArray argMax = logProbabilities.argMax(1);
            for (int i = 0; i < batch; i++) {
                if (done[i] != null) {
                    continue; // finished rows still ride along in the batch; their outputs are not read
                }
                int token = argMax.getInt(i, 0);
                logProbability[i] += logProbabilities.getDouble(i, token, 0);
                if (token == eos) {
                    done[i] = new Translation(toArray(tokens.get(i)), true, logProbability[i]);
                    open--;
                } else {
                    tokens.get(i).add(token);
                }
                input[i][0] = token;
            }
            state = next.state();
        }
        List<Translation> result = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            result.add(done[i] != null ? done[i] : new Translation(toArray(tokens.get(i)), false, logProbability[i]));
        }
        return result;
    }

    /**
     * d2l 9.8's beam search: at every step, of all one-token extensions of the live hypotheses, keep the
     * {@code beamSize} with the highest log P; a kept extension that ends in {@code <eos>}, or reaches
     * {@code maxLength}, is finished and leaves the beam. Returns the finished sequence with the best
     * {@link Translation#score}(alpha). Beam size 1 is greedy search.
     */
    public Translation beamSearch(int[] source, int beamSize, double alpha) {
        Preconditions.checkArgument(beamSize > 0, "beamSize must be positive, got %s", beamSize);
        List<Hypothesis> live = List.of(new Hypothesis(new int[0], 0));
        S states = encode(source); // row i of the decoder state batch belongs to live.get(i)
        List<Translation> finished = new ArrayList<>();
        for (int step = 1; !live.isEmpty(); step++) {
            Decoder.Decoded<S> next = model.decoder().forward(lastTokens(live), states);
            List<Hypothesis> continuing = new ArrayList<>();
            List<Integer> parentRows = new ArrayList<>();
            for (Extension extension : best(live, next.logProbabilities(), beamSize)) {
                int[] parentTokens = live.get(extension.parent()).tokens();
                if (extension.token() == eos) {
                    finished.add(new Translation(parentTokens, true, extension.logProbability()));
                } else if (step == maxLength) {
                    finished.add(new Translation(append(parentTokens, extension.token()), false,
                            extension.logProbability()));
                } else {
                    continuing.add(new Hypothesis(append(parentTokens, extension.token()),
                            extension.logProbability()));
                    parentRows.add(extension.parent());
                }
            }
            if (!continuing.isEmpty()) {
                states = model.decoder().selectRows(next.state(), toArray(parentRows));
            }
            live = continuing;
        }
        return finished.stream().max(Comparator.comparingDouble(t -> t.score(alpha))).orElseThrow();
    }

    private record Hypothesis(int[] tokens, double logProbability) {
    }

    private record Extension(int parent, int token, double logProbability) {
    }

    private static int[] append(int[] tokens, int token) {
        int[] longer = Arrays.copyOf(tokens, tokens.length + 1);
        longer[tokens.length] = token;
        return longer;
    }

    /** The decoder input of one step: each hypothesis's last token ({@code <bos>} for the empty one). */
    private int[][] lastTokens(List<Hypothesis> live) {
        int[][] input = new int[live.size()][1];
        for (int i = 0; i < input.length; i++) {
            int[] tokens = live.get(i).tokens();
            input[i][0] = tokens.length == 0 ? bos : tokens[tokens.length - 1];
        }
        return input;
    }

    /**
     * The {@code size} extensions with the highest log P; ties go to the lower (hypothesis, token) index, so
     * that beam size 1 picks what greedy's argmax picks.
     */
    private static List<Extension> best(List<Hypothesis> live, INDArray logProbabilities, int size) {
        double[][] stepLogProbabilities = logProbabilities.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.point(0)).toDoubleMatrix();
        List<Extension> all = new ArrayList<>();
        for (int h = 0; h < live.size(); h++) {
            for (int token = 0; token < stepLogProbabilities[h].length; token++) {
                all.add(new Extension(h, token, live.get(h).logProbability() + stepLogProbabilities[h][token]));
            }
        }
        all.sort(Comparator.comparingDouble(Extension::logProbability).reversed()); // stable: keeps index order
        return all.subList(0, Math.min(size, all.size()));
    }

    private static int[] toArray(List<Integer> tokens) {
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }
}
