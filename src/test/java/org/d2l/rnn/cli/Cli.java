package org.d2l.rnn.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs the CLI in-process and captures what it prints. */
record Cli(int code, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    /** The last non-empty stdout line, which --json makes a JSON object. */
    String lastLine() {
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    com.fasterxml.jackson.databind.JsonNode json() {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(lastLine());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError("last stdout line is not JSON: " + lastLine() + "\nstderr: " + err, e);
        }
    }

    /** A user error: non-zero exit, exactly one line on stderr starting with "error:", nothing on stdout. */
    String oneLineError() {
        org.junit.jupiter.api.Assertions.assertNotEquals(0, code, "expected a failure; stdout: " + out);
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        org.junit.jupiter.api.Assertions.assertEquals(1, lines.size(), "one line on stderr, got: " + err);
        org.junit.jupiter.api.Assertions.assertTrue(lines.get(0).startsWith("error: "), lines.get(0));
        org.junit.jupiter.api.Assertions.assertFalse(err.contains("\tat "), "no stack trace");
        return lines.get(0);
    }

    /** Asserts a one-line user error that mentions {@code expected}. */
    void errorMentions(String expected) {
        String line = oneLineError();
        org.junit.jupiter.api.Assertions.assertTrue(line.contains(expected), "expected '" + expected + "' in: " + line);
    }
}
