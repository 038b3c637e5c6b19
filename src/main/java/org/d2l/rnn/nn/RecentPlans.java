package org.d2l.rnn.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SameDiff graphs and plans of the last few input shapes, most recently used kept. A plan holds native arrays
 * for every op of an unrolled graph, so an evicted value that is {@link AutoCloseable} is closed at once instead of
 * waiting for the garbage collector. Shared by {@link ScratchRecurrentLayer} and the SameDiff decoder vertex.
 */
public final class RecentPlans<K, V> extends LinkedHashMap<K, V> {
    private final int kept;

    public RecentPlans(int kept) {
        super(kept, 0.75f, true);
        this.kept = kept;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        if (size() <= kept) {
            return false;
        }
        if (eldest.getValue() instanceof AutoCloseable value) {
            try {
                value.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return true;
    }
}
