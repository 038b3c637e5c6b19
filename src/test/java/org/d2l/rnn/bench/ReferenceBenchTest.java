package org.d2l.rnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.d2l.rnn.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The process side of a reference benchmark, with a shell standing in for PyTorch or DJL. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ReferenceBenchTest {
    /** Prints what the config's name says: a log line, then the JSON line, or fails. */
    private static final class Fake extends ReferenceBench {
        Fake() {
            super(1, 3);
        }

        @Override
        public String name() {
            return "Fake";
        }

        @Override
        public String configName(BenchConfig config) {
            return config == BenchConfig.GRU256 ? "gru" : null;
        }

        @Override
        protected List<String> command(String config) {
            return List.of("sh", "-c", config);
        }

        @Override
        protected String fix() {
            return "install Fake";
        }

        @Override
        protected String engine(JsonNode line) {
            return "fake " + line.path("engine").asText();
        }
    }

    @Test
    void readsTheLastJsonLineAndItsEngine() {
        Fake f = new Fake();
        assertNull(f.engine());
        double tps = f.run("echo warming up; echo '{\"engine\": \"1.0\", \"tokens_per_sec_median\": 1234.5}'");
        assertEquals(1234.5, tps);
        assertEquals("fake 1.0", f.engine());
        assertEquals("gru", f.configName(BenchConfig.GRU256));
    }

    @Test
    void aFailedRunIsAOneLineErrorNamingTheFix() {
        UserError e = assertThrows(UserError.class, () -> new Fake().run("echo 'no module named fake'; exit 3"));
        assertTrue(e.getMessage().contains("no module named fake") && e.getMessage().endsWith("install Fake"),
                e.getMessage());
        assertThrows(UserError.class, () -> new Fake().run("echo nothing"));
    }
}
