package org.d2l.rnn.seq2seq;

/**
 * d2l 9.6's {@code EncoderDecoder}: encode the source, let the decoder start from the encoder's outputs, decode.
 * Training runs the same model as one DL4J graph ({@link Seq2SeqGraph}); this pairing is what inference
 * ({@link Seq2SeqDecoding}) and other decoders (attention) build on.
 */
public record EncoderDecoder<O, S>(Encoder<O> encoder, Decoder<O, S> decoder) {

    /** The decoder's state right after encoding {@code source}. */
    public S start(int[][] source, int[] sourceValidLength) {
        return decoder.initState(encoder.encode(source, sourceValidLength), sourceValidLength);
    }

    /** d2l's {@code forward(enc_X, dec_X, *args)}: the decoder run over {@code decoderInput} (teacher forcing). */
    public Decoder.Decoded<S> forward(int[][] source, int[] sourceValidLength, int[][] decoderInput) {
        return decoder.forward(decoderInput, start(source, sourceValidLength));
    }
}
