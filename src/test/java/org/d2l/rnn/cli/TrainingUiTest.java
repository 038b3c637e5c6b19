package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-lm --ui: DL4J's training UI serves the run, as headless Chromium renders it (JavaScript included). */
class TrainingUiTest {
    @TempDir
    Path dir;

    @Test
    void theRunShowsUpInTheTrainingUi() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli train = Cli.run("train-lm", "--model", "lstm", "--hidden", "16", "--epochs", "3", "--max-tokens", "2000",
                "--batch", "8", "--steps", "10", "--ui", "--ui-port", String.valueOf(port), "--save",
                dir.resolve("m.zip").toString(), "--json");
        assertEquals(0, train.code(), train.err());
        String url = "http://localhost:" + port + "/train/overview";
        assertTrue(train.out().startsWith("training UI: " + url), train.out());
        JsonNode result = train.json();

        String page = text(render(url));
        assertTrue(page.contains("Model Type StatefulGraph"), page);
        assertTrue(page.contains("Total Parameters " + result.get("params").asLong()), page);
        assertTrue(page.matches(".*Total Parameter Updates [1-9][0-9]*.*"), "the run's iterations arrived: " + page);
        assertTrue(page.contains("Update:Parameter Ratios") && page.contains("out_W"), page);

        Cli.run("train-lm", "--ui", "--ui-port", "70000", "--epochs", "1").errorMentions("--ui-port");
    }

    /** The page's DOM after its scripts ran, from headless Chromium. */
    private String render(String url) throws Exception {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assertTrue(Files.isExecutable(Path.of(chromium)), "this test drives headless Chromium: install Debian's "
                + "chromium (apt-get install chromium; .ci/run does) or point CHROMIUM at one");
        Path dom = dir.resolve("dom.html");
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("profile"), "--virtual-time-budget=8000", "--dump-dom", url)
                .redirectOutput(dom.toFile()).redirectError(dir.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "chromium did not finish");
        return Files.readString(dom, StandardCharsets.UTF_8);
    }

    private static String text(String html) {
        return html.replaceAll("(?s)<script.*?</script>", " ").replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ");
    }
}
