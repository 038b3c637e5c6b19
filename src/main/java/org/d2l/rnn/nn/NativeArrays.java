package org.d2l.rnn.nn;

import java.nio.ByteOrder;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes ND4J arrays from Java arrays with one memory copy, and frees ND4J arrays deterministically.
 *
 * <p>Why: ND4J gives an array's native memory back when the garbage collector finds its Java object. Those objects
 * are tiny, so with -Xmx1g the heap rarely fills and a temporary of every minibatch could wait minutes — the
 * resident set of an undetached run grew ~150 MiB per epoch that way. Arrays that live in a workspace (the
 * workspace reuses their memory) and views (their buffer belongs to another array) are left alone.
 */
public final class NativeArrays {
    private NativeArrays() {
    }

    /**
     * A new float array of {@code shape} in {@code order} holding {@code values} (in that order's element order).
     * On the CPU backend one bulk copy into the array's memory: {@code Nd4j.create(float[], ...)} writes element by
     * element through a buffer indexer, ~8 ns an element (a seq2seq batch's 128k one-hot labels took ~1 ms, JFR).
     */
    public static INDArray floats(float[] values, long[] shape, char order) {
        if (!HostBuffers.CPU) {
            return Nd4j.create(values, shape, order);
        }
        if (ArrayUtil.prodLong(shape) != values.length) {
            throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape));
        }
        INDArray array = Nd4j.createUninitialized(DataType.FLOAT, shape, order);
        array.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().put(values);
        return array;
    }

    /** Closes each array that owns its memory outside any workspace; nulls are skipped. */
    public static void free(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && !a.wasClosed() && a.closeable()) {
                a.close();
            }
        }
    }
}
