package org.d2l.rnn.data;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.d2l.rnn.data.TestSupport.userErrorMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code file:<path>} datasets and the strict text checks of {@link DataHub#readText}. */
class LocalFileTest {

    @TempDir
    Path tmp;

    @Test
    void readsAUtf8File() throws IOException {
        Path file = Files.writeString(tmp.resolve("poem.txt"), "caf\u00e9 \u5468\u6770\u4f26\n", UTF_8);

        assertEquals(file, hub().fetch("file:" + file));
        assertEquals("caf\u00e9 \u5468\u6770\u4f26\n", hub().readText("file:" + file));
    }

    @Test
    void nonUtf8FileNamesTheByteAndSuggestsIconv() throws IOException {
        Path file = Files.write(tmp.resolve("latin1.txt"), "caf\u00e9 au lait".getBytes(ISO_8859_1));

        String message = userErrorMessage(() -> hub().readText("file:" + file));

        assertEquals(file + " is not valid UTF-8 (byte 0xE9 at offset 3); convert it first: iconv -f <enc> -t UTF-8 "
                + file + " > converted.txt, with <enc> its encoding, e.g. ISO-8859-1, CP1252 or GBK", message);
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = Files.createFile(tmp.resolve("empty.txt"));

        String message = userErrorMessage(() -> hub().fetch("file:" + file));

        assertEquals(file + " is empty; give a text file with some text in it", message);
    }

    @Test
    void whitespaceOnlyFileIsRejectedAsText() throws IOException {
        Path file = Files.writeString(tmp.resolve("blank.txt"), " \n\t\n");

        String message = userErrorMessage(() -> hub().readText("file:" + file));

        assertEquals(file + " is empty or only whitespace; give a text file with some text in it", message);
    }

    @Test
    void missingFileIsRejected() {
        Path file = tmp.resolve("no-such.txt");

        String message = userErrorMessage(() -> hub().fetch("file:" + file));

        assertEquals(file + " does not exist; check the path after 'file:'", message);
    }

    @Test
    void directoryIsRejected() {
        String message = userErrorMessage(() -> hub().fetch("file:" + tmp));

        assertEquals(tmp + " is not a regular file; give the path of a text file after 'file:'", message);
    }

    @Test
    void prefixWithoutPathIsRejected() {
        String message = userErrorMessage(() -> hub().fetch("file:"));

        assertEquals("'file:' names no file; write it as file:<path>, e.g. file:data/my-corpus.txt", message);
    }

    private DataHub hub() {
        return new DataHub(tmp.resolve("cache"), null, new DatasetRegistry(List.of()));
    }
}
