package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
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

    /** Each library in a JVM of its own: the children really load different OpenBLAS builds. */
    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void compareBlasRunsEachLibraryInItsOwnJvmAndReportsWhichIsFastest() throws Exception {
        Cli c = Cli.run("bench", "--compare-blas", "maven,bundled", "--rounds", "1", "--configs", "lstm256",
                "--iterations", "1", "--windows", "1", "--warmup", "0", "--report", dir.toString(), "--json");
        assertEquals(0, c.code(), c.err());
        JsonNode metrics = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertTrue(metrics.at("/libraries/maven").asText().contains("OpenBLAS 0.3.31 "), metrics.toString());
        assertTrue(metrics.at("/libraries/bundled").asText().contains("OpenBLAS 0.3.19 "), metrics.toString());
        JsonNode lstm = metrics.at("/configs/0");
        assertEquals("lstm256", lstm.get("config").asText());
        assertTrue(lstm.at("/maven_tokens_per_sec/0").asDouble() > 0 && lstm.at("/bundled_tokens_per_sec/0").asDouble() > 0);
        assertEquals(lstm.get("fastest").asText(), c.json().get("fastest_everywhere").asText(), "one config: its fastest");
        assertTrue(Files.readString(dir.resolve("README.md")).contains("| lstm256 | "));
    }

    @Test
    void badInputGetsOneLineErrors() {
        Cli.run("bench", "--compare-blas", "maven,mkl").errorMentions("maven, system and bundled");
        Cli.run("bench", "--configs", "lstm999").errorMentions("lstm256");
        Cli.run("bench", "--iterations", "0").errorMentions("--iterations");
        Cli.run("bench", "--configs", "gru256", "--pytorch", dir.resolve("nope.py").toString()).errorMentions("bench.py");
        Cli.run("bench", "--configs", "gru256", "--djl", dir.toString()).errorMentions("bench-vs-pytorch.sh");
        Cli.run("bench", "--rounds", "0").errorMentions("--rounds");
    }
}
