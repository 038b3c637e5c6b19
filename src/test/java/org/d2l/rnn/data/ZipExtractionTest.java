package org.d2l.rnn.data;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.d2l.rnn.data.TestSupport.entries;
import static org.d2l.rnn.data.TestSupport.refusedUrl;
import static org.d2l.rnn.data.TestSupport.sha1;
import static org.d2l.rnn.data.TestSupport.userErrorMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Archives served from a directory mirror: payload lookup, re-packed copies and unsafe entries. */
class ZipExtractionTest {

    private static final byte[] PAYLOAD = "va !\tgo.\nsalut !\thi.\n".getBytes(UTF_8);

    @TempDir
    Path tmp;
    private Path mirror;
    private Path cache;
    private final String publicUrl = refusedUrl("pairs.zip");

    @BeforeEach
    void createDirectories() throws IOException {
        mirror = Files.createDirectories(tmp.resolve("mirror"));
        cache = tmp.resolve("work/cache");
    }

    @Test
    void repackedArchiveWithTheRightPayloadIsExtracted() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("__MACOSX/pairs/._pairs.txt", "mac resource fork".getBytes(UTF_8));
        entries.put("pairs/pairs.txt", PAYLOAD);
        entries.put("pairs/._notes.txt", "mac resource fork".getBytes(UTF_8));
        writeZip(entries);

        Path payload = hub(sha1("the original archive".getBytes(UTF_8)), sha1(PAYLOAD)).fetch("pairs");

        assertEquals(cache.resolve("pairs/pairs/pairs.txt"), payload);
        assertEquals(List.of("pairs.txt"), entries(payload.getParent()));
        assertEquals(List.of("pairs", "pairs.zip"), entries(cache));
    }

    @Test
    void archiveWithAWrongPayloadIsRejectedAndNothingIsKept() throws IOException {
        byte[] zip = writeZip(Map.of("pairs.txt", PAYLOAD));
        String archiveSha1 = sha1("the original archive".getBytes(UTF_8));
        String payloadSha1 = sha1("other pairs".getBytes(UTF_8));
        DataHub hub = hub(archiveSha1, payloadSha1);

        String message = userErrorMessage(() -> hub.fetch("pairs"));

        assertEquals("pairs.zip from " + mirror.resolve("pairs.zip") + " has sha1 " + sha1(zip) + ", expected "
                + archiveSha1 + ", and its pairs.txt has sha1 " + sha1(PAYLOAD) + ", expected " + payloadSha1
                + "; could not download pairs.zip from " + publicUrl + " (connection refused)"
                + "; put a good copy of pairs.zip into the mirror " + mirror + " or check the network", message);
        assertEquals(List.of(), entries(cache));
    }

    @Test
    void fileThatIsNoZipIsRejected() throws IOException {
        Files.writeString(mirror.resolve("pairs.zip"), "<html>not found</html>");
        DataHub hub = hub(sha1("the original archive".getBytes(UTF_8)), sha1(PAYLOAD));

        String message = userErrorMessage(() -> hub.fetch("pairs"));

        assertTrue(message.contains(" and is not a readable zip (ZipException: "), message);
        assertEquals(List.of(), entries(cache));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.txt", "pairs/../../../evil.txt", "/evil.txt"})
    void entryEscapingTheTargetIsRejectedAndNothingIsWrittenOutside(String unsafeName) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("pairs.txt", PAYLOAD);
        entries.put(unsafeName, "pwned".getBytes(UTF_8));
        byte[] zip = writeZip(entries);

        String message = userErrorMessage(() -> hub(sha1(zip), sha1(PAYLOAD)).fetch("pairs"));

        Path cachedZip = cache.resolve("pairs.zip");
        assertEquals("unsafe entry '" + unsafeName + "' in " + cachedZip
                + " points outside the extraction directory; delete " + cachedZip
                + " and get the dataset from a trusted source", message);
        // No staging directory, no half-extracted target, no escaped file anywhere near.
        assertEquals(List.of("pairs.zip"), entries(cache));
        assertTrue(Files.notExists(cache.resolve("evil.txt")));
        assertTrue(Files.notExists(tmp.resolve("work/evil.txt")));
        assertTrue(Files.notExists(tmp.resolve("evil.txt")));
    }

    private DataHub hub(String archiveSha1, String payloadSha1) {
        DatasetSpec spec = DatasetSpec.archive("pairs", "pairs.zip", publicUrl, archiveSha1,
                "pairs.txt", payloadSha1);
        return new DataHub(cache, mirror.toString(), new DatasetRegistry(List.of(spec)));
    }

    /** Writes mirror/pairs.zip with {@code entries} in order and returns its bytes. */
    private byte[] writeZip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            entries.forEach((name, content) -> {
                try {
                    zip.putNextEntry(new ZipEntry(name));
                    zip.write(content);
                    zip.closeEntry();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        Files.write(mirror.resolve("pairs.zip"), bytes.toByteArray());
        return bytes.toByteArray();
    }
}
