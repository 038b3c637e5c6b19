package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.d2l.rnn.jobs.LmCheckpoint;
import org.d2l.rnn.runtime.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --checkpoint-every and --resume: an interrupted run, resumed, ends exactly where the uninterrupted one does. */
class CheckpointResumeTest {
    /** Random partitioning (a reshuffle every epoch) and Adam (updater state): both must survive the restart. */
    private static final List<String> RUN = List.of("train-lm", "--model", "lstm", "--hidden", "32", "--epochs", "20",
            "--max-tokens", "4000", "--batch", "8", "--steps", "20", "--sampling", "random", "--optimizer", "adam",
            "--lr", "0.01", "--seed", "11", "--predict-every", "1000");

    @TempDir
    Path dir;

    @Test
    void killedMidEpochAndResumedGivesTheUninterruptedPerplexities() throws Exception {
        JsonNode uninterrupted = cli(RUN, "--save", dir.resolve("whole.zip").toString(), "--json").json();

        Path ckpt = dir.resolve("ckpt.zip");
        // the child must run the same step math as this JVM (SIMD with the vector module, ND4J ops without: they
        // round differently in the 7th digit): ChildJvm passes the launch options every path passes
        List<String> args = new ArrayList<>(RUN);
        args.addAll(List.of("--save", dir.resolve("killed.zip").toString(), "--checkpoint-every", "3",
                "--checkpoint", ckpt.toString()));
        List<String> command = ChildJvm.command(List.of(), Main.class, args);
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!Files.exists(ckpt) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(120); // into the next epoch
            assertTrue(child.isAlive(), "the run must still be training when it is killed: "
                    + Files.readString(dir.resolve("child.log")));
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no chance to tidy up
            child.waitFor();
        }
        int done = LmCheckpoint.state(ckpt).progress().epochsDone();
        assertTrue(done >= 3 && done < 20, "killed after " + done + " epochs");
        assertTrue(!Files.exists(dir.resolve("killed.zip")), "the killed run never exported");

        Cli resumed = cli(List.of("train-lm", "--resume", ckpt.toString()), "--save", dir.resolve("resumed.zip").toString(),
                "--json");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming " + ckpt + " after epoch " + done + " of 20"), resumed.out());
        JsonNode r = resumed.json();
        assertEquals(uninterrupted.get("perplexity_by_epoch"), r.get("perplexity_by_epoch"),
                "every epoch's perplexity, before and after the kill, equals the uninterrupted run's");
        assertEquals(uninterrupted.get("sample"), r.get("sample"));
    }

    @Test
    void stateCarriedAcrossEpochsSurvivesAResume() {
        List<String> run = List.of("train-lm", "--model", "gru", "--hidden", "24", "--max-tokens", "3000", "--batch",
                "8", "--steps", "15", "--carry-state", "--seed", "3", "--predict-every", "1000");
        JsonNode whole = cli(run, "--epochs", "6", "--save", dir.resolve("w.zip").toString(), "--json").json();
        Path ckpt = dir.resolve("c.zip");
        assertEquals(0, cli(run, "--epochs", "4", "--save", dir.resolve("p.zip").toString(), "--checkpoint-every", "2",
                "--checkpoint", ckpt.toString()).code());
        JsonNode resumed = cli(List.of("train-lm", "--resume", ckpt.toString()), "--epochs", "6", "--save",
                dir.resolve("r.zip").toString(), "--json").json();
        assertEquals(whole.get("perplexity_by_epoch"), resumed.get("perplexity_by_epoch"));
        assertEquals(whole.get("sample"), resumed.get("sample"));
        // a checkpoint is also a model: generate reads it
        assertEquals(0, Cli.run("generate", "--model", ckpt.toString(), "--length", "5").code());
    }

    @Test
    void resumeMistakesAreOneLineErrors() throws Exception {
        Path ckpt = dir.resolve("c.zip");
        List<String> run = List.of("train-lm", "--model", "rnn", "--hidden", "8", "--max-tokens", "2000", "--batch", "4",
                "--steps", "10", "--epochs", "2", "--save", dir.resolve("m.zip").toString());
        assertEquals(0, cli(run, "--checkpoint-every", "1", "--checkpoint", ckpt.toString()).code());
        Cli.run("train-lm", "--resume", ckpt.toString(), "--save", dir.resolve("x.zip").toString())
                .errorMentions("already run 2 of 2 epochs");
        Cli.run("train-lm", "--resume", ckpt.toString(), "--hidden", "64").errorMentions("--hidden cannot change");
        Cli.run("train-lm", "--resume", dir.resolve("m.zip").toString()).errorMentions("not a checkpoint");
        Cli.run("train-lm", "--resume", dir.resolve("none.zip").toString()).errorMentions("not found");
        Path junk = Files.writeString(dir.resolve("junk.zip"), "not a zip");
        Cli.run("train-lm", "--resume", junk.toString()).errorMentions("not a readable checkpoint");
        Cli.run("train-lm", "--checkpoint-every", "-1", "--epochs", "1").errorMentions("--checkpoint-every");

        // the corpus changed under the checkpoint: its vocabulary and tokens no longer match the model
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), "the time machine by h g wells ".repeat(60));
        Path own = dir.resolve("own.zip");
        assertEquals(0, cli(List.of("train-lm", "--model", "rnn", "--hidden", "8", "--dataset", "file:" + corpus,
                "--batch", "4", "--steps", "10", "--epochs", "2", "--save", dir.resolve("o.zip").toString(),
                "--checkpoint-every", "1", "--checkpoint", own.toString())).code());
        Files.writeString(corpus, "a quite different text, with new letters: xyzq! ".repeat(40));
        Cli.run("train-lm", "--resume", own.toString(), "--epochs", "3", "--save", dir.resolve("x.zip").toString())
                .errorMentions("differs from the one the checkpoint was trained on");
    }

    @Test
    void divergenceStopsWithAClearMessageAndKeepsTheLastGoodCheckpoint() {
        Path ckpt = dir.resolve("good.zip");
        List<String> run = List.of("train-lm", "--model", "rnn", "--activation", "relu", "--hidden", "16", "--max-tokens",
                "2000", "--batch", "4", "--steps", "10", "--epochs", "2", "--checkpoint-every", "1", "--checkpoint",
                ckpt.toString());
        assertEquals(0, cli(run, "--save", dir.resolve("m.zip").toString()).code());
        // the same run continued with an absurd learning rate and no clipping blows up in its next epoch
        Path diverged = dir.resolve("diverged.zip");
        Cli.run("train-lm", "--resume", ckpt.toString(), "--epochs", "4", "--lr", "1e9", "--clip", "0",
                "--checkpoint-every", "1", "--checkpoint", ckpt.toString(), "--save", diverged.toString())
                .errorMentions("training diverged at epoch 3, minibatch ");
        Cli again = Cli.run("train-lm", "--resume", ckpt.toString(), "--epochs", "4", "--lr", "1e9", "--clip", "0",
                "--save", diverged.toString());
        assertTrue(again.oneLineError().contains("the last good checkpoint is " + ckpt + " (epoch 2)"), again.err());
        assertEquals(2, LmCheckpoint.state(ckpt).progress().epochsDone(), "the good checkpoint was not overwritten");
        assertTrue(!Files.exists(diverged), "no model is exported from a diverged run");
        assertEquals(0, Cli.run("generate", "--model", ckpt.toString(), "--length", "5").code());
    }

    /** A bidirectional model carries no state: its checkpoint has none, and it resumes like the whole run. */
    @Test
    void aBidirectionalRunCheckpointsAndResumes() {
        List<String> run = List.of("train-lm", "--model", "bi-gru", "--hidden", "8", "--max-tokens", "2000", "--batch",
                "8", "--steps", "10", "--seed", "5", "--predict-every", "1000");
        JsonNode whole = cli(run, "--epochs", "2", "--save", dir.resolve("bw.zip").toString(), "--json").json();
        Path ckpt = dir.resolve("bc.zip");
        Cli first = cli(run, "--epochs", "1", "--save", dir.resolve("bp.zip").toString(), "--checkpoint-every", "1",
                "--checkpoint", ckpt.toString());
        assertEquals(0, first.code(), first.err());
        JsonNode resumed = cli(List.of("train-lm", "--resume", ckpt.toString()), "--epochs", "2", "--save",
                dir.resolve("br.zip").toString(), "--json").json();
        assertEquals(whole.get("perplexity_by_epoch"), resumed.get("perplexity_by_epoch"));
    }

    private static Cli cli(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return Cli.run(all.toArray(String[]::new));
    }
}
