package org.d2l.rnn;

/**
 * The checks of user-given numbers that several commands share, so each rule has one message wherever it is
 * broken: {@code train-lm --epochs 0}, {@code train-seq2seq --epochs 0} and {@code run S --epochs 0} say the same.
 */
public final class Checks {
    private Checks() {
    }

    /** {@code value} if it is positive, else a {@link UserError} naming {@code flag}. */
    public static int positive(String flag, int value) {
        if (value <= 0) {
            throw new UserError(flag + " must be positive, got " + value);
        }
        return value;
    }

    /** The number of epochs: the one rule for every command and for the trainer. */
    public static int epochs(int value) {
        return positive("--epochs", value);
    }
}
