package org.d2l.rnn.data;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.Optional;

/** Turns exceptions into the short, one-line reasons that go inside user-facing messages. */
final class ErrorText {

    private ErrorText() {
    }

    static String reason(Throwable error) {
        // HttpClient wraps the telling exception, often in a ConnectException with a null message of its own,
        // so the whole cause chain is searched, the most specific kind first.
        if (causeOf(error, UnresolvedAddressException.class).isPresent()
                || causeOf(error, UnknownHostException.class).isPresent()) {
            return "unknown host";
        }
        if (causeOf(error, HttpTimeoutException.class).isPresent()) {
            return "timed out";
        }
        Optional<ConnectException> connectFailure = causeOf(error, ConnectException.class);
        if (connectFailure.isPresent()) {
            // e.g. "Network is unreachable"; without a message it is the typical case, nothing listening.
            String message = connectFailure.get().getMessage();
            return message == null ? "connection refused" : oneLine(message.toLowerCase(Locale.ROOT));
        }
        String message = error.getMessage();
        String type = error.getClass().getSimpleName();
        return oneLine(message == null || message.isBlank() ? type : type + ": " + message);
    }

    /** UserError messages must be one line; exception texts from the JDK sometimes are not. */
    static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    /** The first {@code type} in the cause chain that has a message, else the deepest one without. */
    private static <T extends Throwable> Optional<T> causeOf(Throwable error, Class<T> type) {
        T found = null;
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause) && (found == null || found.getMessage() == null)) {
                found = type.cast(cause);
            }
        }
        return Optional.ofNullable(found);
    }
}
