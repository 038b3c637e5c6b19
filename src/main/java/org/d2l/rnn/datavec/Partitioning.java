package org.d2l.rnn.datavec;

import java.util.Random;
import org.d2l.rnn.UserError;

/**
 * d2l's two ways to cut a long token stream into minibatches of {@code steps}-long windows (d2l 8.3). Each
 * returns the start of every window in the order the minibatches use them: batch k holds windows
 * {@code k*batch .. k*batch+batch-1}, row r of the batch is window {@code k*batch + r}. The label window starts
 * one token later.
 */
public enum Partitioning {
    /**
     * {@code seq_data_iter_random}: drop a random 0..steps-1 prefix, cut into adjacent windows, shuffle them;
     * neighbouring minibatches are unrelated, so the hidden state must be reset for each.
     */
    RANDOM {
        @Override
        int[] windowStarts(int length, int batch, int steps, Random rng, boolean randomOffset) {
            int offset = randomOffset ? rng.nextInt(steps) : 0;
            int subseqs = (length - offset - 1) / steps;
            int[] all = new int[subseqs];
            for (int k = 0; k < subseqs; k++) {
                all[k] = offset + k * steps;
            }
            shuffle(all, rng);
            int[] used = new int[minibatches(length, batch, steps, offset) * batch];
            System.arraycopy(all, 0, used, 0, used.length);
            return used;
        }
    },
    /**
     * {@code seq_data_iter_sequential}: drop a random 0..steps prefix, split the rest into {@code batch} rows,
     * and walk along the rows; row r of a minibatch continues row r of the previous one, so the hidden state
     * can be carried across minibatches.
     */
    SEQUENTIAL {
        @Override
        int[] windowStarts(int length, int batch, int steps, Random rng, boolean randomOffset) {
            int offset = randomOffset ? rng.nextInt(steps + 1) : 0;
            int rowLength = (length - offset - 1) / batch;
            int batches = minibatches(length, batch, steps, offset);
            int[] starts = new int[batches * batch];
            for (int k = 0; k < batches; k++) {
                for (int r = 0; r < batch; r++) {
                    starts[k * batch + r] = offset + r * rowLength + k * steps;
                }
            }
            return starts;
        }
    };

    abstract int[] windowStarts(int length, int batch, int steps, Random rng, boolean randomOffset);

    /** Minibatches in an epoch whose random offset dropped the first {@code offset} tokens. */
    public int minibatches(int length, int batch, int steps, int offset) {
        return this == RANDOM ? ((length - offset - 1) / steps) / batch
                : Math.max(0, ((length - offset - 1) / batch) / steps);
    }

    /** The window starts of one epoch, in minibatch order. */
    public int[] epochStarts(int length, int batch, int steps, Random rng, boolean randomOffset) {
        return windowStarts(length, batch, steps, rng, randomOffset);
    }

    /**
     * Fails with a one-line message unless every epoch has at least one minibatch, whatever random offset it
     * draws (the largest offset is {@code steps}).
     */
    public static void requireFits(int length, int batch, int steps, boolean randomOffset) {
        int needed = batch * steps + 1 + (randomOffset ? steps : 0);
        if (length < needed) {
            throw new UserError("corpus of " + length + " tokens is too short for --batch " + batch + " --steps "
                    + steps + " (needs " + needed + "); lower --steps or --batch, or raise --max-tokens");
        }
    }

    /** Fisher-Yates with the caller's generator, so a seed fixes the order (Python's random.shuffle). */
    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    public static Partitioning parse(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
