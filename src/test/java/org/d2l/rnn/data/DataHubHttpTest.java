package org.d2l.rnn.data;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.d2l.rnn.data.TestSupport.entries;
import static org.d2l.rnn.data.TestSupport.refusedUrl;
import static org.d2l.rnn.data.TestSupport.sha1;
import static org.d2l.rnn.data.TestSupport.userErrorMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real HTTP download path against a loopback server, and how its failures are reported. */
class DataHubHttpTest {

    private static final String FILE = "corpus.txt";
    private static final byte[] CONTENT = "the time traveller\nwas expounding\n".getBytes(UTF_8);
    private static final String NO_MIRROR_HINT =
            "set D2L_DATA_MIRROR to a directory or base URL that holds corpus.txt";

    @TempDir
    Path tmp;
    private Path cache;
    private LoopbackServer server;

    @BeforeEach
    void startServer() throws IOException {
        cache = tmp.resolve("cache");
        server = new LoopbackServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void downloadsAndChecksAGoodFile() throws IOException {
        server.serve("/files/corpus.txt", CONTENT);

        Path file = hub(server.url("/files/corpus.txt"), null).fetch("corpus");

        assertEquals(cache.resolve(FILE), file);
        assertEquals(new String(CONTENT, UTF_8), Files.readString(file));
        assertEquals(List.of(FILE), entries(cache));
    }

    @Test
    void corruptedDownloadIsRejectedAndNothingIsKept() throws IOException {
        byte[] corrupted = "the time traveller\nwas expounding?\n".getBytes(UTF_8);
        server.serve("/files/corpus.txt", corrupted);
        String url = server.url("/files/corpus.txt");

        String message = userErrorMessage(() -> hub(url, null).fetch("corpus"));

        assertEquals("corpus.txt from " + url + " has sha1 " + sha1(corrupted) + ", expected " + sha1(CONTENT)
                + "; " + NO_MIRROR_HINT, message);
        assertEquals(List.of(), entries(cache));
    }

    @Test
    void truncatedDownloadIsRejectedAndNothingIsKept() throws IOException {
        server.serveTruncated("/files/corpus.txt", new byte[] {'t', 'h', 'e', ' ', 't'}, CONTENT.length);
        String url = server.url("/files/corpus.txt");

        String message = userErrorMessage(() -> hub(url, null).fetch("corpus"));

        assertEquals("could not download corpus.txt from " + url + " (truncated: got 5 of " + CONTENT.length
                + " bytes); no network? " + NO_MIRROR_HINT, message);
        assertEquals(List.of(), entries(cache));
    }

    @Test
    void notFoundNamesStatusAndUrl() throws IOException {
        String url = server.url("/files/missing/corpus.txt");

        String message = userErrorMessage(() -> hub(url, null).fetch("corpus"));

        assertEquals("could not download corpus.txt from " + url + " (HTTP 404); " + NO_MIRROR_HINT, message);
        assertEquals(List.of(), entries(cache));
    }

    @Test
    void serverErrorNamesStatusAndUrl() {
        server.serveStatus("/files/corpus.txt", 503);
        String url = server.url("/files/corpus.txt");

        String message = userErrorMessage(() -> hub(url, null).fetch("corpus"));

        assertEquals("could not download corpus.txt from " + url + " (HTTP 503); " + NO_MIRROR_HINT, message);
    }

    @Test
    void connectionRefusedWithoutMirrorSuggestsTheMirrorVariable() throws IOException {
        String url = refusedUrl(FILE);

        String message = userErrorMessage(() -> hub(url, null).fetch("corpus"));

        assertEquals("could not download corpus.txt from " + url + " (connection refused); no network? "
                + NO_MIRROR_HINT, message);
        assertEquals(List.of(), entries(cache));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/mirror", "/mirror/"})
    void mirrorBaseUrlIsUsedBeforeThePublicUrl(String mirrorPath) throws IOException {
        server.serve("/mirror/corpus.txt", CONTENT);

        Path file = hub(refusedUrl(FILE), server.url(mirrorPath)).fetch("corpus");

        assertEquals(new String(CONTENT, UTF_8), Files.readString(file));
    }

    @Test
    void mirrorWithoutTheFileAndUnreachablePublicUrlAreBothReported() throws IOException {
        Path mirror = Files.createDirectories(tmp.resolve("mirror"));
        String url = refusedUrl(FILE);

        String message = userErrorMessage(() -> hub(url, mirror.toString()).fetch("corpus"));

        assertEquals("mirror directory " + mirror + " has no corpus.txt; could not download corpus.txt from " + url
                + " (connection refused); put a good copy of corpus.txt into the mirror " + mirror
                + " or check the network", message);
        assertEquals(List.of(), entries(cache));
    }

    @Test
    void corruptMirrorCopyFallsBackToThePublicUrl() throws IOException {
        Path mirror = Files.createDirectories(tmp.resolve("mirror"));
        Files.writeString(mirror.resolve(FILE), "not the corpus");
        server.serve("/files/corpus.txt", CONTENT);

        Path file = hub(server.url("/files/corpus.txt"), mirror.toString()).fetch("corpus");

        assertEquals(sha1(CONTENT), sha1(file));
        assertEquals(List.of(FILE), entries(cache));
    }

    @Test
    void invalidMirrorUrlIsReportedUpFront() {
        String message = userErrorMessage(() -> hub(refusedUrl(FILE), "http://host with spaces/"));

        assertTrue(message.startsWith("mirror 'http://host with spaces/' is not a valid URL ("), message);
    }

    private DataHub hub(String publicUrl, String mirror) {
        DatasetSpec spec = DatasetSpec.text("corpus", FILE, publicUrl, sha1(CONTENT));
        return new DataHub(cache, mirror, new DatasetRegistry(List.of(spec)));
    }
}
