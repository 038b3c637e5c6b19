package org.d2l.rnn.cli;

import java.util.Arrays;
import java.util.Iterator;
import org.d2l.rnn.models.ModelKind;

/** The {@code --model} values for picocli's {@code ${COMPLETION-CANDIDATES}}, from the one registry of kinds. */
final class ModelNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(ModelKind.values()).map(ModelKind::cliName).iterator();
    }
}
