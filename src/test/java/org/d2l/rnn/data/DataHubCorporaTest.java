package org.d2l.rnn.data;

import static org.d2l.rnn.data.TestSupport.builtInOffline;
import static org.d2l.rnn.data.TestSupport.corporaDir;
import static org.d2l.rnn.data.TestSupport.sha1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The built-in datasets fetched from the real corpora used as a directory mirror. Public URLs point at a refused
 * port, so every file provably comes from the mirror or the cache, never the internet.
 */
class DataHubCorporaTest {

    private static final String TIME_MACHINE_SHA1 = "090b5e7e70c295757f55df93cb0a180b9691891a";

    @TempDir
    Path cache;

    @Test
    void builtInRegistryHoldsTheChapterCorpora() {
        assertEquals(List.of("time-machine", "jay-chou", "fra-eng", "war-of-the-worlds"),
                DatasetRegistry.builtIn().names());
    }

    @ParameterizedTest
    @CsvSource({
        "time-machine,      timemachine.txt,       090b5e7e70c295757f55df93cb0a180b9691891a",
        "jay-chou,          jaychou_lyrics.txt,    389655757a8ef48c7ad5253ded9caa13cdf6086a",
        "fra-eng,           fra.txt,               c43f99dce27311d3afd4d3e0716848194cfcc103",
        "war-of-the-worlds, war_of_the_worlds.txt, 496bb437a1c77a1675083833370a824f164c6712"})
    void fetchesFromTheMirrorThenFromTheCacheAlone(String dataset, String fileName, String sha1) throws IOException {
        Path fromMirror = mirroredHub().fetch(dataset);

        assertEquals(fileName, fromMirror.getFileName().toString());
        assertEquals(sha1, sha1(fromMirror));
        assertTrue(fromMirror.startsWith(cache), fromMirror.toString());
        assertEquals(fromMirror, cacheOnlyHub().fetch(dataset));
    }

    @Test
    void corruptedCachedFileIsReplaced() throws IOException {
        Files.writeString(cache.resolve("timemachine.txt"), "The Time Machine, by H. G. Wells [1898] (abridged)");

        Path file = mirroredHub().fetch("time-machine");

        assertEquals(TIME_MACHINE_SHA1, sha1(file));
    }

    @Test
    void corruptedExtractedPayloadIsExtractedAgainFromTheCachedArchive() throws IOException {
        Path payload = mirroredHub().fetch("jay-chou");
        Files.writeString(payload, "corrupted");

        assertEquals("389655757a8ef48c7ad5253ded9caa13cdf6086a", sha1(cacheOnlyHub().fetch("jay-chou")));
    }

    @Test
    void repackedArchiveIsAcceptedThroughItsPayloadWithoutMacJunk() throws IOException {
        Path payload = mirroredHub().fetch("fra-eng");

        assertEquals(cache.resolve("fra-eng/fra-eng/fra.txt"), payload);
        assertTrue(Files.isRegularFile(cache.resolve("fra-eng.zip")));
        assertTrue(Files.notExists(cache.resolve("fra-eng/__MACOSX")));
        // The archive is kept, so the payload can be extracted again without the mirror.
        PathUtils.deleteDirectory(cache.resolve("fra-eng"));
        assertEquals(payload, cacheOnlyHub().fetch("fra-eng"));
    }

    @Test
    void readsTheCorporaAsText() {
        DataHub hub = mirroredHub();

        assertTrue(hub.readText("time-machine").startsWith("The Time Machine, by H. G. Wells [1898]\n"));
        // Counts from shared/datasets/MANIFEST.md: a wrong decoding would change them.
        assertEquals(63282, hub.readText("jay-chou").length());
        assertEquals(167130, hub.readText("fra-eng").lines().count());
    }

    private DataHub mirroredHub() {
        return new DataHub(cache, corporaDir().toString(), builtInOffline());
    }

    private DataHub cacheOnlyHub() {
        return new DataHub(cache, null, builtInOffline());
    }
}
