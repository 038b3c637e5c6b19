package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train-lm --ui as a user sees it: headless Chromium renders the overview page, scripts included. Tagged
 * "browser": it needs Debian's chromium, so it runs with -Dbrowser.tests=true (.ci/run installs chromium and sets
 * it); there, a missing browser fails the test instead of skipping it.
 */
@Tag("browser")
class TrainingUiBrowserTest {
    @TempDir
    Path dir;

    @Test
    void theRunShowsUpInTheRenderedTrainingUi() throws Exception {
        UiRun run = UiRun.shared();
        String page = text(render(run.url("/train/overview")));
        assertTrue(page.contains("Model Type StatefulGraph"), page);
        assertTrue(page.contains("Total Parameters " + run.params()), page);
        assertTrue(page.matches(".*Total Parameter Updates [1-9][0-9]*.*"), "the run's iterations arrived: " + page);
        assertTrue(page.contains("Update:Parameter Ratios") && page.contains("out_W"), page);
    }

    /** The page's DOM after its scripts ran, from headless Chromium. */
    private String render(String url) throws Exception {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assertTrue(Files.isExecutable(Path.of(chromium)), "this test drives headless Chromium: install Debian's "
                + "chromium (apt-get install chromium; .ci/run does) or point CHROMIUM at one");
        Path dom = dir.resolve("dom.html");
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + dir.resolve("profile"), "--virtual-time-budget=8000", "--dump-dom", url)
                .redirectOutput(dom.toFile()).redirectError(dir.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "chromium did not finish");
        return Files.readString(dom, StandardCharsets.UTF_8);
    }

    private static String text(String html) {
        return html.replaceAll("(?s)<script.*?</script>", " ").replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ");
    }
}
