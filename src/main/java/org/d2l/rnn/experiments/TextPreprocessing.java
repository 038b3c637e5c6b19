package org.d2l.rnn.experiments;

import org.d2l.rnn.io.RunResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.data.CorpusReader;
import org.d2l.rnn.report.Report;
import org.d2l.rnn.text.Corpus;
import org.d2l.rnn.text.Tokenizer;

/** d2l 8.2 Text Preprocessing: read The Time Machine, tokenize, build vocabularies, index the corpus. */
public final class TextPreprocessing implements Experiment {

    /** The figures d2l prints in 8.2. */
    public record Result(int lines, int wordTokens, int wordVocabSize, int charTokens, int charVocabSize,
                         List<List<Object>> wordVocabHead, int[] line0Indices, int[] line10Indices) implements RunResult {
    }

    @Override
    public String name() {
        return "text-preprocessing";
    }

    @Override
    public String title() {
        return "8.2 Text Preprocessing";
    }

    @Override
    public Result run(RunContext ctx) {
        CorpusReader reader = new CorpusReader(ctx.hub());
        Corpus words = reader.read("time-machine", Tokenizer.WORD, 0, -1);
        Corpus chars = reader.read("time-machine", Tokenizer.CHAR, 0, -1);
        StringBuilder out = new StringBuilder();
        out.append("# text lines: ").append(words.lines().size()).append('\n');
        out.append(words.lines().get(0)).append('\n').append(words.lines().get(10)).append("\n\n");
        for (int i = 0; i < 11; i++) {
            out.append(py(words.tokens().get(i))).append('\n');
        }
        List<List<Object>> head = words.vocab().head(10);
        out.append('\n').append(head.stream().map(p -> "('" + p.get(0) + "', " + p.get(1) + ")")
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"))).append("\n\n");
        for (int i : new int[] {0, 10}) {
            out.append("words: ").append(py(words.tokens().get(i))).append('\n');
            out.append("indices: ").append(java.util.Arrays.toString(words.lineIndices(i))).append('\n');
        }
        out.append('\n').append(chars.size()).append(' ').append(chars.vocab().size()).append('\n');
        ctx.out().print(out);
        ctx.out().flush();
        Result r = new Result(words.lines().size(), words.size(), words.vocab().size(), chars.size(),
                chars.vocab().size(), head, words.lineIndices(0), words.lineIndices(10));
        Report report = ctx.report(this);
        report.paragraph("The Time Machine is read line by line, every run of non-letters becomes a space, lines are "
                + "lower-cased, split into word (or character) tokens, and a vocabulary indexes tokens by frequency, "
                + "`<unk>` first. Ties keep first-appearance order, so every index equals d2l's.");
        report.command("mvn -q compile exec:java -Dexec.args=\"run text-preprocessing\"");
        report.heading("Output (the same figures d2l prints)").output(out.toString());
        report.table(List.of("figure", "d2l", "here"), List.of(
                List.of("text lines", 3221, r.lines()),
                List.of("word tokens", 32775, r.wordTokens()),
                List.of("word vocabulary", 4580, r.wordVocabSize()),
                List.of("char tokens (load_corpus_time_machine)", 170580, r.charTokens()),
                List.of("char vocabulary", 28, r.charVocabSize())));
        report.metrics(r.metrics()).write();
        return r;
    }

    /** A token list as Python prints it, so the output reads like d2l's. */
    static String py(List<String> tokens) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < tokens.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append('\'').append(tokens.get(i)).append('\'');
        }
        return sb.append(']').toString();
    }
}
