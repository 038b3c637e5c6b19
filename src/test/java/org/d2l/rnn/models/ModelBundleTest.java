package org.d2l.rnn.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.UserError;
import org.d2l.rnn.infer.Generator;
import org.d2l.rnn.text.Tokenizer;
import org.d2l.rnn.text.Vocab;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

class ModelBundleTest {
    @TempDir
    Path dir;

    private static ModelBundle bundle(String task) {
        return bundle(task, 7);
    }

    private static ModelBundle bundle(String task, long seed) {
        Vocab vocab = Vocab.build(List.of("a", "b", "c", "a", " "));
        ModelSpec spec = ModelSpec.of(ModelKind.LSTM, vocab.size(), 8, 1);
        StatefulGraph net = LanguageModels.build(spec, new Adam(0.01), 5, seed);
        ModelCard made = ModelCard.languageModel(spec, "CHAR", "file:x", "abc", Map.of("epochs", 3), 7,
                Map.of("perplexity", 2.5));
        ModelCard card = new ModelCard(task, made.spec(), made.tokenizer(), made.dataset(), made.dataSha1(),
                made.settings(), made.seed(), made.metrics(), made.created(), made.software(), made.platform());
        return new ModelBundle(net, vocab, card);
    }

    /** Two runs exporting the same model name at once: a reader only ever finds one whole zip or the other. */
    @Test
    void concurrentWritersOfOneNameNeverLeaveABrokenZip() throws Exception {
        ModelBundle a = bundle(ModelCard.LANGUAGE_MODEL, 7);
        ModelBundle b = bundle(ModelCard.LANGUAGE_MODEL, 8);
        Path zip = dir.resolve("same-name.zip");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.Future<?> wa = pool.submit(() -> { for (int i = 0; i < 8; i++) { a.save(zip); } });
        java.util.concurrent.Future<?> wb = pool.submit(() -> { for (int i = 0; i < 8; i++) { b.save(zip); } });
        int reads = 0;
        while (!(wa.isDone() && wb.isDone()) || reads == 0) {
            if (Files.exists(zip)) {
                var params = ModelBundle.load(zip, ModelCard.LANGUAGE_MODEL).net().params();
                assertTrue(params.equals(a.net().params()) || params.equals(b.net().params()), "a whole zip of one run");
                reads++;
            }
        }
        wa.get();
        wb.get();
        pool.shutdown();
        assertTrue(reads > 0);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(zip), files.toList(), "no temp files left behind");
        }
    }

    @Test
    void roundTripKeepsParametersVocabularyProvenanceAndGenerations() throws Exception {
        ModelBundle b = bundle(ModelCard.LANGUAGE_MODEL);
        Path zip = dir.resolve("m.zip");
        b.save(zip);
        ModelBundle back = ModelBundle.load(zip, ModelCard.LANGUAGE_MODEL);
        assertEquals(b.net().params(), back.net().params());
        assertEquals(b.vocab(), back.vocab());
        assertEquals(b.card().spec(), back.card().spec());
        assertEquals(ModelSpec.of(ModelKind.LSTM, b.vocab().size(), 8, 1), back.card().languageModelSpec());
        // provenance of the machine: the step math decides the last digits, so the card names it
        assertEquals(java.util.Set.of("os", "arch", "blas", "step_math"), back.card().platform().keySet());
        assertEquals(System.getProperty("os.arch"), back.card().platform().get("arch"));
        assertTrue(back.card().platform().get("step_math").endsWith("StepMath"), back.card().platform().toString());
        assertEquals(org.d2l.rnn.BuildInfo.version(), back.card().software().get("d2l-rnn-dl4j"));
        assertEquals(7, back.card().seed());
        assertEquals(2.5, back.card().metrics().get("perplexity"));
        String before = new Generator(b.net(), b.vocab(), Tokenizer.CHAR, true, true).greedy("ab", 20);
        String after = new Generator(back.net(), back.vocab(), Tokenizer.CHAR, true, true).greedy("ab", 20);
        assertEquals(before, after);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(zip), files.toList(), "no temp files left beside the zip");
        }
    }

    @Test
    void foreignMissingAndCorruptZipsAreClearErrors() throws Exception {
        assertTrue(assertThrows(UserError.class, () -> ModelBundle.load(dir.resolve("none.zip"), ModelCard.LANGUAGE_MODEL))
                .getMessage().contains("not found"));
        Path junk = Files.writeString(dir.resolve("junk.zip"), "not a zip at all");
        assertTrue(assertThrows(UserError.class, () -> ModelBundle.load(junk, ModelCard.LANGUAGE_MODEL))
                .getMessage().contains("not a model exported by this project"));
        Path plain = dir.resolve("plain.zip");
        ModelSerializer.writeModel(bundle(ModelCard.LANGUAGE_MODEL).net(), plain.toFile(), false);
        assertTrue(assertThrows(UserError.class, () -> ModelBundle.load(plain, ModelCard.LANGUAGE_MODEL))
                .getMessage().contains("model-card.json"));
        Path other = dir.resolve("s2s.zip");
        bundle("seq2seq").save(other);
        UserError e = assertThrows(UserError.class, () -> ModelBundle.load(other, ModelCard.LANGUAGE_MODEL));
        assertTrue(e.getMessage().contains("seq2seq model"), e.getMessage());
        Path truncated = dir.resolve("cut.zip");
        byte[] whole = Files.readAllBytes(dir.resolve("s2s.zip"));
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThrows(UserError.class, () -> ModelBundle.load(truncated, ModelCard.LANGUAGE_MODEL));
    }

    @Test
    void anUnwritableDestinationIsAUserErrorAndLeavesNothing() throws Exception {
        Path blocker = Files.writeString(dir.resolve("models"), "a file where a directory should be");
        UserError e = assertThrows(UserError.class, () -> bundle(ModelCard.LANGUAGE_MODEL).save(blocker.resolve("m.zip")));
        assertFalse(e.getMessage().contains("\n"));
        assertEquals("a file where a directory should be", Files.readString(blocker));
    }
}
