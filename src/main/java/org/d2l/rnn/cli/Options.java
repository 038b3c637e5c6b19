package org.d2l.rnn.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.d2l.rnn.UserError;

/** Parsing shared by the commands' options. */
final class Options {
    private Options() {
    }

    /** An enum constant from its lower-case CLI spelling, or a one-line error listing the valid ones. */
    static <E extends Enum<E>> E enumValue(Class<E> type, String option, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new UserError(option + " '" + value + "' is not one of: " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
