package org.d2l.rnn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.d2l.rnn.UserError;
import org.junit.jupiter.api.Test;

/** The README's results table is the one generated from the committed reports' metrics.json. */
class ReadmeResultsTest {
    @Test
    void readmeResultsTableMatchesTheReports() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertEquals(ReadmeResults.updated(readme, Path.of("notebooks-export")), readme,
                "README.md's results table differs from notebooks-export/*/metrics.json; regenerate it: "
                        + "mvn -q exec:java -Dexec.args=\"readme-results\"");
        assertTrue(readme.contains("| `lstm` | LSTM 256 | "), "the table lists the lstm section");
        assertTrue(readme.contains(ReadmeResults.MEMORY_BEGIN + "\n| report | run | epochs |"), "the memory table is copied");
    }

    @Test
    void aReadmeWithoutMarkersIsRefusedWithTheFix() {
        UserError e = assertThrows(UserError.class, () -> ReadmeResults.updated("# no table\n", Path.of("notebooks-export")));
        assertTrue(e.getMessage().contains("put the two marker lines"), e.getMessage());
    }
}
