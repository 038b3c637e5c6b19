package org.d2l.rnn.text;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.UserError;

/**
 * d2l's {@code Vocab}: {@code <unk>} is index 0, then the reserved tokens, then every token seen at least
 * {@code minFreq} times, most frequent first. Ties keep first-appearance order, as Python's stable
 * {@code sorted(counter.items(), key=freq, reverse=True)} does over an insertion-ordered Counter, so every
 * index equals d2l's.
 */
public final class Vocab {
    public static final String UNK = "<unk>";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> idxToToken;
    private final Map<String, Integer> tokenToIdx;
    private final int minFreq;
    private final List<String> reserved;

    private Vocab(List<String> idxToToken, int minFreq, List<String> reserved) {
        this.idxToToken = List.copyOf(idxToToken);
        this.minFreq = minFreq;
        this.reserved = List.copyOf(reserved);
        this.tokenToIdx = new HashMap<>(idxToToken.size() * 2);
        for (int i = 0; i < idxToToken.size(); i++) {
            tokenToIdx.putIfAbsent(idxToToken.get(i), i);
        }
    }

    /** Builds the vocabulary of a token stream, d2l's {@code Vocab(tokens, min_freq, reserved_tokens)}. */
    public static Vocab build(Collection<String> tokens, int minFreq, List<String> reservedTokens) {
        if (minFreq < 0) {
            throw new UserError("--min-freq must be >= 0, got " + minFreq);
        }
        List<Map.Entry<String, Integer>> freqs = countByFrequency(tokens);
        List<String> idx = new ArrayList<>();
        idx.add(UNK);
        for (String r : reservedTokens) {
            if (!idx.contains(r)) {
                idx.add(r);
            }
        }
        java.util.Set<String> present = new java.util.HashSet<>(idx);
        for (Map.Entry<String, Integer> e : freqs) {
            if (e.getValue() < minFreq) {
                break; // sorted by frequency: nothing after this qualifies
            }
            if (present.add(e.getKey())) {
                idx.add(e.getKey());
            }
        }
        return new Vocab(idx, minFreq, reservedTokens);
    }

    public static Vocab build(Collection<String> tokens) {
        return build(tokens, 0, List.of());
    }

    /** Token counts, most frequent first; ties in first-appearance order (d2l's {@code token_freqs}). */
    public static List<Map.Entry<String, Integer>> countByFrequency(Collection<String> tokens) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String t : tokens) {
            counts.merge(t, 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort((a, b) -> Integer.compare(b.getValue(), a.getValue())); // List.sort is stable
        return sorted;
    }

    public int size() {
        return idxToToken.size();
    }

    /** Index of a token; unknown tokens map to {@code <unk>} (0), as d2l's {@code vocab[token]}. */
    public int indexOf(String token) {
        return tokenToIdx.getOrDefault(token, 0);
    }

    public boolean contains(String token) {
        return tokenToIdx.containsKey(token);
    }

    public int[] indicesOf(List<String> tokens) {
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = indexOf(tokens.get(i));
        }
        return out;
    }

    public String token(int index) {
        if (index < 0 || index >= idxToToken.size()) {
            throw new IllegalArgumentException("token index " + index + " outside vocabulary of " + size());
        }
        return idxToToken.get(index);
    }

    public List<String> tokens() {
        return idxToToken;
    }

    /** The first {@code n} {@code [token, index]} pairs, as the CLI and reports show a vocabulary. */
    public List<List<Object>> head(int n) {
        List<List<Object>> head = new ArrayList<>();
        for (int i = 0; i < Math.min(n, size()); i++) {
            head.add(List.of(idxToToken.get(i), i));
        }
        return head;
    }

    public int minFreq() {
        return minFreq;
    }

    public List<String> reservedTokens() {
        return reserved;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(new Stored(idxToToken, minFreq, reserved));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Vocab fromJson(String json) {
        try {
            Stored s = JSON.readValue(json, Stored.class);
            if (s.tokens == null || s.tokens.isEmpty() || !UNK.equals(s.tokens.get(0))) {
                throw new UserError("vocabulary JSON has no tokens or does not start with " + UNK);
            }
            return new Vocab(s.tokens, s.minFreq, s.reserved == null ? List.of() : s.reserved);
        } catch (JsonProcessingException e) {
            throw new UserError("vocabulary JSON is not readable: " + e.getOriginalMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocab v && v.idxToToken.equals(idxToToken);
    }

    @Override
    public int hashCode() {
        return idxToToken.hashCode();
    }

    /** The JSON form: the index-to-token list is the vocabulary; the rest records how it was built. */
    private record Stored(@JsonProperty("tokens") List<String> tokens,
                          @JsonProperty("min_freq") int minFreq,
                          @JsonProperty("reserved") List<String> reserved) {
        @JsonCreator
        Stored {
        }
    }
}
