package org.d2l.rnn.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** The {@code --json} flag every command has: the last line of stdout is then one JSON object. */
public final class JsonOutput {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--json", description = "Print the result as one JSON object on the last line of stdout.")
    boolean enabled;

    public boolean enabled() {
        return enabled;
    }

    /** Prints {@code result} as a single JSON line when --json was given. */
    public void print(PrintWriter out, Object result) {
        if (!enabled) {
            return;
        }
        try {
            out.println(JSON.writeValueAsString(result));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result is not serialisable as JSON", e);
        }
    }
}
