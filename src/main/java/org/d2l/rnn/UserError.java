package org.d2l.rnn;

/**
 * A problem the user can fix (bad flag, missing data, corrupt file). Its message is one line that says
 * what is wrong and how to fix it; the CLI prints it without a stack trace and exits non-zero.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
