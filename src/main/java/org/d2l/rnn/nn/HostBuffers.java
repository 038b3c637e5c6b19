package org.d2l.rnn.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Direct access to the host memory of ND4J arrays on the CPU backend, for the kernels' own loops and BLAS calls.
 *
 * <p>An array's {@code data().asNio()} spans its root buffer (a view's too), so an element is found at the
 * array's {@code offset()} in it. Making that ByteBuffer costs ~1 us, more than a step's worth of elementwise work
 * at small sizes, so each kernel keeps one cache of its root buffers (its own buffers and DL4J's parameter and
 * gradient views live as long as the layer).
 */
final class HostBuffers {
    /** Whether arrays live in host memory (ND4J's CPU backend); on CUDA the kernels use ND4J ops only. */
    static final boolean CPU = "CPU".equalsIgnoreCase(
            String.valueOf(Nd4j.getExecutioner().getEnvironmentInformation().get("backend")));
    private static final int MAX_ENTRIES = 256;
    private final Map<DataBuffer, Root> roots = new IdentityHashMap<>();

    private record Root(ByteBuffer bytes, BytePointer address) {
    }

    /** The native-order bytes of {@code array}'s root buffer; index them at {@code array.offset()}. */
    ByteBuffer bytes(INDArray array) {
        return root(array).bytes;
    }

    /** A pointer to {@code array}'s first element, for a float array. */
    FloatPointer floats(INDArray array) {
        return new FloatPointer(root(array).address).position(array.offset());
    }

    /** A pointer to {@code array}'s first element, for a double array. */
    DoublePointer doubles(INDArray array) {
        return new DoublePointer(root(array).address).position(array.offset());
    }

    static boolean hostFloatOrDouble(INDArray array) {
        return CPU && (array.dataType() == DataType.FLOAT || array.dataType() == DataType.DOUBLE);
    }

    private Root root(INDArray array) {
        DataBuffer data = array.data();
        DataBuffer key = data.originalDataBuffer() != null ? data.originalDataBuffer() : data;
        Root root = roots.get(key);
        if (root == null) {
            if (roots.size() >= MAX_ENTRIES) {
                roots.clear(); // arrays of an earlier shape; the current ones come back on their next use
            }
            ByteBuffer bytes = data.asNio().order(ByteOrder.nativeOrder());
            root = new Root(bytes, new BytePointer(bytes));
            roots.put(key, root);
        }
        return root;
    }
}
