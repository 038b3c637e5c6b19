package org.d2l.rnn.datavec;

import java.util.List;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.Random;
import org.d2l.rnn.UserError;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.OneHot;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.d2l.rnn.nn.NativeArrays;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The language-model minibatches of d2l 8.3 as a DL4J {@link DataSetIterator}: a
 * {@link TokenWindowSequenceReader} supplies the windows of each epoch, chosen by a {@link Partitioning}; each
 * {@link #reset()} starts a new epoch with a fresh random offset (and order), as d2l draws them anew each epoch.
 *
 * <p>Labels are one-hot {@code [batch, vocab, steps]} (RnnOutputLayer). Features are one-hot or indices
 * ({@link FeatureEncoding}). A whole batch is one-hot encoded by one native op rather than per step: per-step
 * one-hot writables were measured ~25x slower.
 */
public final class LanguageModelIterator implements DataSetIterator {
    private final TokenWindowSequenceReader reader;
    private final int vocabSize;
    private final int batchSize;
    private final Partitioning partitioning;
    private final FeatureEncoding encoding;
    private final boolean randomOffset;
    private Random rng;
    private boolean epochStarted;
    private DataSetPreProcessor preProcessor;

    private LanguageModelIterator(Builder b) {
        this.reader = new TokenWindowSequenceReader(b.corpus, b.steps);
        this.vocabSize = b.vocabSize;
        this.batchSize = b.batchSize;
        this.partitioning = b.partitioning;
        this.encoding = b.encoding;
        this.randomOffset = b.randomOffset;
        this.rng = new Random(b.seed);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The next minibatch as token indices: {@code x[row][t]} and {@code y[row][t] = x[row][t+1]}. */
    public TokenBatch nextTokens() {
        startEpochIfNeeded();
        int steps = reader.steps();
        int[] corpus = reader.corpus();
        int[][] x = new int[batchSize][steps];
        int[][] y = new int[batchSize][steps];
        for (int r = 0; r < batchSize; r++) {
            int start = reader.nextWindowStart();
            System.arraycopy(corpus, start, x[r], 0, steps);
            System.arraycopy(corpus, start + 1, y[r], 0, steps);
        }
        return new TokenBatch(x, y);
    }

    @Override
    public DataSet next() {
        TokenBatch batch = nextTokens();
        INDArray features;
        if (encoding == FeatureEncoding.ONE_HOT) {
            features = oneHot(batch.x(), vocabSize);
        } else {
            INDArray ints = Nd4j.createFromArray(batch.x());
            features = ints.castTo(DataType.FLOAT).reshape(batchSize, 1, reader.steps());
            NativeArrays.free(ints); // a per-minibatch temporary: freed now
        }
        DataSet ds = new DataSet(features, oneHot(batch.y(), vocabSize));
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    /** {@code [rows, steps]} indices to a one-hot {@code [rows, vocab, steps]} float array in one op. */
    public static INDArray oneHot(int[][] indices, int vocabSize) {
        INDArray out = Nd4j.create(DataType.FLOAT, indices.length, vocabSize, indices[0].length);
        INDArray idx = Nd4j.createFromArray(indices);
        Nd4j.exec(new OneHot(idx, out, vocabSize, 1, 1.0, 0.0));
        NativeArrays.free(idx); // a per-minibatch temporary: freed now
        return out;
    }

    private void startEpochIfNeeded() {
        if (!epochStarted) {
            int[] corpus = reader.corpus();
            reader.setWindowStarts(partitioning.epochStarts(corpus.length, batchSize, reader.steps(), rng, randomOffset));
            epochStarted = true;
        }
    }

    /** Minibatches in the current epoch (it can differ by one between epochs: the offset is random). */
    public int batchesThisEpoch() {
        startEpochIfNeeded();
        return reader.windows() / batchSize;
    }

    /** The generator that draws offsets and shuffles, serialized: a checkpoint stores it between epochs. */
    public byte[] randomState() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(rng);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Continues with a generator saved by {@link #randomState()} (the next epoch draws what it would have). */
    public void restoreRandomState(byte[] state) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(state))) {
            rng = (Random) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new IllegalArgumentException("not a saved random state", e);
        }
    }

    public Partitioning partitioning() {
        return partitioning;
    }

    public int steps() {
        return reader.steps();
    }

    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public boolean hasNext() {
        startEpochIfNeeded();
        return reader.hasNext();
    }

    /** Ends the epoch: the next batch starts a new one, with a new random offset and order. */
    @Override
    public void reset() {
        epochStarted = false;
    }

    @Override
    public DataSet next(int num) {
        if (num != batchSize) {
            throw new UnsupportedOperationException("batch size is fixed at " + batchSize);
        }
        return next();
    }

    @Override
    public int inputColumns() {
        return encoding == FeatureEncoding.ONE_HOT ? vocabSize : 1;
    }

    @Override
    public int totalOutcomes() {
        return vocabSize;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** No prefetching thread: sequential partitioning relies on batch order, and a seed must fix the run. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    /** One minibatch as plain indices. */
    public record TokenBatch(int[][] x, int[][] y) {
    }

    /** Required: {@code setCorpus}, {@code setVocabSize}, {@code setBatchSize}, {@code setSteps}. */
    public static final class Builder {
        private int[] corpus;
        private int vocabSize;
        private int batchSize;
        private int steps;
        private Partitioning partitioning = Partitioning.RANDOM;
        private FeatureEncoding encoding = FeatureEncoding.ONE_HOT;
        private boolean randomOffset = true;
        private long seed;

        public Builder setCorpus(int[] corpus) {
            this.corpus = corpus;
            return this;
        }

        public Builder setVocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder setSteps(int steps) {
            this.steps = steps;
            return this;
        }

        public Builder optPartitioning(Partitioning partitioning) {
            this.partitioning = partitioning;
            return this;
        }

        public Builder optEncoding(FeatureEncoding encoding) {
            this.encoding = encoding;
            return this;
        }

        /** d2l drops a random prefix each epoch; {@code false} always starts at token 0 (an exercise). */
        public Builder optRandomOffset(boolean randomOffset) {
            this.randomOffset = randomOffset;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Validates the settings; a corpus too short for one minibatch fails here, with a one-line message. */
        public LanguageModelIterator build() {
            if (corpus == null || corpus.length == 0) {
                throw new UserError("the corpus is empty; give a text with tokens in it");
            }
            requirePositive("--batch", batchSize);
            requirePositive("--steps", steps);
            requirePositive("vocabulary size", vocabSize);
            for (int t : corpus) {
                if (t < 0 || t >= vocabSize) {
                    throw new IllegalArgumentException("token index " + t + " outside vocabulary of " + vocabSize);
                }
            }
            // fail now, not at the first batch: the user sees the problem before any training starts
            Partitioning.requireFits(corpus.length, batchSize, steps, randomOffset);
            return new LanguageModelIterator(this);
        }

        private static void requirePositive(String what, int value) {
            if (value <= 0) {
                throw new UserError(what + " must be positive, got " + value);
            }
        }
    }
}
