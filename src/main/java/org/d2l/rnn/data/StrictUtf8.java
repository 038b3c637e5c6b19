package org.d2l.rnn.data;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.d2l.rnn.UserError;

/**
 * UTF-8 decoding that refuses bad bytes instead of silently turning them into U+FFFD, which would otherwise
 * show up as a mystery token in the vocabulary.
 */
final class StrictUtf8 {

    private StrictUtf8() {
    }

    /** The text of {@code bytes} read from {@code file}; a {@link UserError} naming the first bad byte otherwise. */
    static String decode(byte[] bytes, Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never yields more chars than bytes, so one pass cannot overflow.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            // The decoder stops in front of the malformed sequence, so the position is the offending offset.
            int offset = in.position();
            throw new UserError(file + " is not valid UTF-8 (byte 0x" + String.format("%02X", bytes[offset])
                    + " at offset " + offset + "); convert it first: iconv -f <enc> -t UTF-8 " + file
                    + " > converted.txt, with <enc> its encoding, e.g. ISO-8859-1, CP1252 or GBK");
        }
        return out.flip().toString();
    }
}
