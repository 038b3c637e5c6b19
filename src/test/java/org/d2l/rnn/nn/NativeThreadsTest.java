package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link NativeThreads#inParallel}: two threads for one caller, one helper at most, failures after both ended. */
class NativeThreadsTest {

    @Test
    void aSecondCallerMeanwhileRunsBothOnItself() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> helperOfFirst = new AtomicReference<>();
        Thread firstCaller = new Thread(() -> NativeThreads.inParallel(() -> {
            inside.countDown();
            await(release);
        }, () -> helperOfFirst.set(Thread.currentThread())));
        firstCaller.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));

        AtomicReference<Thread> ranFirst = new AtomicReference<>();
        AtomicReference<Thread> ranSecond = new AtomicReference<>();
        NativeThreads.inParallel(() -> ranFirst.set(Thread.currentThread()),
                () -> ranSecond.set(Thread.currentThread()));
        assertEquals(Thread.currentThread(), ranFirst.get(), "while another caller splits, the caller runs both");
        assertEquals(Thread.currentThread(), ranSecond.get());

        release.countDown();
        firstCaller.join(10_000);
        assertNotEquals(firstCaller, helperOfFirst.get(), "a caller alone hands the second to a helper");

        AtomicReference<Thread> ranAlone = new AtomicReference<>();
        NativeThreads.inParallel(() -> { }, () -> ranAlone.set(Thread.currentThread()));
        assertNotEquals(Thread.currentThread(), ranAlone.get(), "alone again: the helper runs the second");
    }

    @Test
    void aFailureIsRethrownAfterBothEnded() {
        AtomicReference<Boolean> secondEnded = new AtomicReference<>(false);
        assertThrows(IllegalStateException.class, () -> NativeThreads.inParallel(() -> {
            throw new IllegalStateException("first");
        }, () -> {
            sleep();
            secondEnded.set(true);
        }));
        assertTrue(secondEnded.get(), "the helper's half ended before the failure came back");
        assertThrows(IllegalArgumentException.class, () -> NativeThreads.inParallel(() -> { }, () -> {
            throw new IllegalArgumentException("second");
        }));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
