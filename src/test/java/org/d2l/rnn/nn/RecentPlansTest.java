package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan cache keeps the most recently used few and closes what it evicts. */
class RecentPlansTest {
    private static final class Plan implements AutoCloseable {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void keepsTheMostRecentlyUsedAndClosesTheEvicted() {
        Map<String, Plan> plans = new RecentPlans<>(4);
        Plan[] made = new Plan[20];
        for (int i = 0; i < made.length; i++) {
            made[i] = new Plan();
            plans.put("35x" + i, made[i]);
            if (i == 10) {
                plans.get("35x0"); // evicted long ago: a miss, which must not bring it back
            }
            plans.get("35x" + Math.max(0, i - 3)); // the oldest kept one, used again: not the next evicted
            assertTrue(plans.size() <= 4, "size " + plans.size() + " after " + (i + 1) + " shapes");
        }
        assertEquals(List.of("35x17", "35x18", "35x19", "35x16"), List.copyOf(plans.keySet()));
        for (int i = 0; i < made.length; i++) {
            boolean kept = plans.containsValue(made[i]);
            assertEquals(!kept, made[i].closed, "plan " + i + (kept ? " kept" : " evicted"));
        }
    }

    @Test
    void valuesThatAreNotCloseableAreOnlyDropped() {
        Map<Long, String> graphs = new RecentPlans<>(2);
        for (long t = 1; t <= 5; t++) {
            graphs.put(t, "graph " + t);
        }
        assertEquals(List.of(4L, 5L), List.copyOf(graphs.keySet()));
        assertFalse(graphs.containsKey(1L));
    }
}
