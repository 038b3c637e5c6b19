package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * train-lm --ui: DL4J's training UI serves the run over HTTP: the overview page, and the data its script polls
 * (the session, its last update, and the overview data it draws: model type, parameter count, scores, updates).
 * No browser needed; {@link TrainingUiBrowserTest} renders the same page in headless Chromium.
 */
class TrainingUiTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void theRunIsServedByTheTrainingUi() throws Exception {
        UiRun run = UiRun.shared();

        String page = get(run.url("/train/overview"));
        assertTrue(page.contains("id=\"scoreiterchart\"") && page.contains("overview.js"),
                "the overview page with its chart and script: " + page);

        // what overview.js asks for, in its order: the current session, its last update, then the overview data
        String session = get(run.url("/train/sessions/current")).trim();
        assertFalse(session.isEmpty(), "a current session");
        long lastUpdate = Long.parseLong(get(run.url("/train/sessions/lastUpdate/" + session)).trim());
        assertTrue(lastUpdate > 0, "the session received updates: " + lastUpdate);

        JsonNode data = new ObjectMapper().readTree(get(run.url("/train/overview/data")));
        assertEquals("Model Type", data.at("/model/0/0").asText(), data.toString());
        assertEquals("StatefulGraph", data.at("/model/0/1").asText(), data.toString());
        assertEquals("Total Parameters", data.at("/model/2/0").asText(), data.toString());
        assertEquals(run.params(), data.at("/model/2/1").asLong(), data.toString());
        assertEquals("Total Parameter Updates", data.at("/perf/3/0").asText(), data.toString());
        long updates = data.at("/perf/3/1").asLong();
        assertTrue(updates > 0, "the run's iterations arrived: " + data.get("perf"));
        JsonNode scores = data.get("scores");
        assertEquals(updates, scores.size(), "one score per update: " + data);
        for (JsonNode score : scores) {
            assertTrue(score.isNumber() && Double.isFinite(score.asDouble()) && score.asDouble() > 0, data.toString());
        }
        assertTrue(data.get("updateRatios").has("out_W"), "update:parameter ratios per parameter: " + data);

        Cli.run("train-lm", "--ui", "--ui-port", "70000", "--epochs", "1").errorMentions("--ui-port");
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return response.body();
    }
}
