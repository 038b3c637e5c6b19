package org.d2l.rnn.data;

import static org.d2l.rnn.data.TestSupport.userErrorMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dataset names and specs: lookups, and mistakes caught early. */
class DatasetRegistryTest {

    private static final String SHA1 = "090b5e7e70c295757f55df93cb0a180b9691891a";

    @Test
    void unknownNameListsTheKnownOnes() {
        String message = userErrorMessage(() -> DatasetRegistry.builtIn().byName("foo"));

        assertEquals("unknown dataset 'foo'; known: time-machine, jay-chou, fra-eng, war-of-the-worlds, or file:<path>",
                message);
    }

    @Test
    void hubReportsAnUnknownNameWithoutTouchingTheCache(@TempDir Path tmp) {
        Path cache = tmp.resolve("cache");

        String message = userErrorMessage(() -> DataHub.fromEnvironment(cache).fetch("time_machine"));

        assertEquals("unknown dataset 'time_machine'; known: time-machine, jay-chou, fra-eng, war-of-the-worlds,"
                + " or file:<path>", message);
        assertTrue(Files.notExists(cache));
    }

    @Test
    void mistypedSha1IsCaughtWhenTheSpecIsMade() {
        assertThrows(IllegalArgumentException.class,
                () -> DatasetSpec.text("x", "x.txt", "http://example.org/x.txt", SHA1.toUpperCase()));
    }

    @Test
    void duplicateNamesAreRejected() {
        DatasetSpec spec = DatasetSpec.text("x", "x.txt", "http://example.org/x.txt", SHA1);

        assertThrows(IllegalArgumentException.class, () -> new DatasetRegistry(List.of(spec, spec)));
    }
}
