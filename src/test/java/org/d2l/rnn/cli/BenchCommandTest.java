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

    /**
     * The end-to-end table from the JSON the script leaves; with --keep-earlier a section run again replaces its row
     * and the others stay as the report's metrics.json holds them, with their finish time and the earlier command.
     */
    @Test
    void endToEndTableKeepsTheEarlierRowsOfSectionsNotRunAgain() throws Exception {
        Path runs = Files.createDirectories(dir.resolve("runs"));
        Path report = dir.resolve("report");
        endToEndRun(runs, "gru", "{\"seconds\": 100, \"tokens_per_sec\": 30000, \"perplexity\": 1.05}", 25000);
        endToEndRun(runs, "seq2seq", "{\"seconds\": 25, \"tokens_per_sec\": 30000, \"loss\": 0.02, "
                + "\"loss_by_epoch\": [0.5, 0.02]}", 20000);
        Cli first = Cli.run("bench", "--end-to-end", runs.toString(), "--report", report.toString(), "--json");
        assertEquals(0, first.code(), first.err());
        String seq2seqFinished = first.json().at("/sections/1/finished").asText();

        Files.delete(runs.resolve("seq2seq.ours.json"));
        endToEndRun(runs, "gru", "{\"seconds\": 90, \"tokens_per_sec\": 33000, \"perplexity\": 1.04}", 25000);
        Cli again = Cli.run("bench", "--end-to-end", runs.toString(), "--report", report.toString(), "--keep-earlier",
                "--json");
        assertEquals(0, again.code(), again.err());
        JsonNode sections = again.json().get("sections");
        assertEquals(2, sections.size(), sections.toString());
        assertEquals("gru", sections.get(0).get("section").asText());
        assertEquals(33000 / 25000.0, sections.get(0).get("ratio").asDouble(), 1e-12);
        assertEquals("seq2seq", sections.get(1).get("section").asText());
        assertEquals("loss", sections.get(1).get("quality").asText());
        assertEquals(1.5, sections.get(1).get("ratio").asDouble(), 1e-12);
        assertEquals(seq2seqFinished, sections.get(1).get("finished").asText());
        String command = new ObjectMapper().readTree(report.resolve("metrics.json").toFile()).at("/report/command")
                .asText();
        assertEquals(2, command.lines().filter(l -> l.contains("end-to-end-vs-pytorch.sh")).count(), command);

        Cli.run("bench", "--end-to-end", runs.toString(), "--keep-earlier").errorMentions("--report");
        Cli.run("bench", "--end-to-end", runs.toString(), "--report", dir.resolve("none").toString(), "--keep-earlier")
                .errorMentions("without KEEP=1");
        Files.delete(runs.resolve("gru.pytorch.json"));
        Cli.run("bench", "--end-to-end", runs.toString()).errorMentions("end-to-end-vs-pytorch.sh gru");
    }

    private static void endToEndRun(Path runs, String section, String ours, double theirTokensPerSec) throws Exception {
        Files.writeString(runs.resolve(section + ".ours.json"), ours);
        Files.writeString(runs.resolve(section + ".pytorch.json"), "{\"summary\": {\"wall_sec\": 50, "
                + "\"tokens_per_sec_overall\": " + theirTokensPerSec + ", \"final_ppl\": 1.03, \"final_loss\": 0.019}}");
        Files.writeString(runs.resolve(section + ".cmd"), "train-lm --model " + section + "\nlm.py --model " + section + "\n");
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
