package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench runs end to end on tiny windows (its numbers are not checked: timings belong to bench runs, not tests). */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void benchReportsEveryAskedConfigAndWritesItsReport() throws Exception {
        Cli c = Cli.run("bench", "--configs", "gru256,seq2seq", "--iterations", "1", "--windows", "2", "--warmup", "0",
                "--report", dir.toString(), "--json");
        assertEquals(0, c.code(), c.err());
        JsonNode j = c.json();
        assertEquals(2, j.get("configs").size());
        for (JsonNode config : j.get("configs")) {
            assertTrue(config.get("tokens_per_sec").asDouble() > 0, config.toString());
            assertTrue(config.get("ms_per_iter").asDouble() > 0, config.toString());
            assertEquals(2, config.get("ms_per_iter_by_window").size());
        }
        assertEquals("gru256", j.get("configs").get(0).get("config").asText());
        assertTrue(j.get("configs").get(0).get("ceiling_share").asDouble() > 0);
        assertTrue(j.get("generation_chars_per_sec").asDouble() > 0);
        assertTrue(j.get("datavec_share_of_epoch").asDouble() > 0 && j.get("datavec_share_of_epoch").asDouble() < 1);
        assertTrue(Files.size(dir.resolve("throughput.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("README.md")).contains("gru256"));
    }

    @Test
    void badInputGetsOneLineErrors() {
        Cli.run("bench", "--configs", "lstm999").errorMentions("lstm256");
        Cli.run("bench", "--iterations", "0").errorMentions("--iterations");
        Cli.run("bench", "--configs", "gru256", "--pytorch", dir.resolve("nope.py").toString()).errorMentions("bench.py");
    }
}
