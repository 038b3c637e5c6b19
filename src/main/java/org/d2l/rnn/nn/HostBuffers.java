package org.d2l.rnn.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
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
    /**
     * Keyed by native address, not by the DataBuffer object: holding the buffers themselves kept up to 256 dead
     * arrays (inputs, last minibatches' copies) from ever being freed. A root only wraps address and length, so
     * an entry stays right for whatever buffer later sits at that address with that length.
     */
    private final Map<Long, Root> roots = new HashMap<>();

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

    /**
     * {@code dst} = {@code src} for [n, C] matrices; with {@code reverseBlocks} row block k ({@code blockRows}
     * rows: one time step of a time-major sequence) lands in block n / blockRows − 1 − k, which reverses time.
     * Host arrays with unit column stride are copied row by row in memory; anything else through ND4J.
     */
    void copyRows(INDArray src, INDArray dst, long blockRows, boolean reverseBlocks) {
        long rows = src.size(0);
        long blocks = rows / blockRows;
        if (!rowsInMemory(src) || !rowsInMemory(dst) || src.dataType() != dst.dataType()) {
            if (!reverseBlocks) {
                dst.assign(src);
                return;
            }
            for (long k = 0; k < blocks; k++) {
                dst.get(interval((blocks - 1 - k) * blockRows, (blocks - k) * blockRows), all())
                        .assign(src.get(interval(k * blockRows, (k + 1) * blockRows), all()));
            }
            return;
        }
        long cols = src.size(1);
        int width = src.dataType().width();
        long srcStride = rows > 1 ? src.stride(0) : cols;
        long dstStride = rows > 1 ? dst.stride(0) : cols;
        ByteBuffer from = bytes(src);
        ByteBuffer to = bytes(dst);
        if (!reverseBlocks && srcStride == cols && dstStride == cols) {
            to.put((int) (dst.offset() * width), from, (int) (src.offset() * width), (int) (rows * cols * width));
            return;
        }
        for (long r = 0; r < rows; r++) {
            long target = reverseBlocks ? (blocks - 1 - r / blockRows) * blockRows + r % blockRows : r;
            to.put((int) ((dst.offset() + target * dstStride) * width), from,
                    (int) ((src.offset() + r * srcStride) * width), (int) (cols * width));
        }
    }

    /**
     * Writes the row vector {@code row} (n values with unit stride) into every row of the [m, n] {@code dst} with
     * memory copies; false, writing nothing, where the arrays are not laid out for that.
     */
    boolean fillRows(INDArray row, INDArray dst) {
        long cols = dst.size(1);
        if (!rowsInMemory(dst) || row.length() != cols || row.dataType() != dst.dataType() || !hostFloatOrDouble(row)
                || (cols > 1 && row.stride(row.rank() - 1) != 1 && row.elementWiseStride() != 1)) {
            return false;
        }
        long rows = dst.size(0);
        int width = dst.dataType().width();
        long stride = rows > 1 ? dst.stride(0) : cols;
        ByteBuffer from = bytes(row);
        ByteBuffer to = bytes(dst);
        for (long r = 0; r < rows; r++) {
            to.put((int) ((dst.offset() + r * stride) * width), from, (int) (row.offset() * width), (int) (cols * width));
        }
        return true;
    }

    /**
     * The rows of the [M, W] float host matrix {@code x} (unit column stride) into {@code array} from {@code at} on,
     * packed W apart: one
     * bulk copy where the rows are contiguous, one per row otherwise. For the vector loops that run on Java arrays
     * ({@link PackedGemm}, {@link VectorStepMath#lstmForward}): see there on why.
     */
    void rowsToArray(INDArray x, float[] array, int at) {
        copyRows(x, array, at, true);
    }

    /** The inverse of {@link #rowsToArray}: {@code array}'s rows from {@code from} on, packed W apart, into {@code x}. */
    void rowsFromArray(float[] array, int from, INDArray x) {
        copyRows(x, array, from, false);
    }

    private void copyRows(INDArray x, float[] array, int from, boolean toArray) {
        java.nio.FloatBuffer buffer = bytes(x).asFloatBuffer();
        int m = (int) x.size(0);
        int width = (int) x.size(1);
        int stride = m > 1 ? (int) x.stride(0) : width;
        int at = (int) x.offset();
        if (stride == width) {
            copy(buffer, at, array, from, m * width, toArray);
        } else {
            for (int i = 0; i < m; i++) {
                copy(buffer, at + i * stride, array, from + i * width, width, toArray);
            }
        }
    }

    private static void copy(java.nio.FloatBuffer buffer, int at, float[] array, int from, int length,
                             boolean toArray) {
        if (toArray) {
            buffer.get(at, array, from, length);
        } else {
            buffer.put(at, array, from, length);
        }
    }

    /** A host float/double matrix whose rows are contiguous in memory. */
    private static boolean rowsInMemory(INDArray m) {
        return m.rank() == 2 && (m.size(1) == 1 || m.stride(1) == 1) && hostFloatOrDouble(m);
    }

    static boolean hostFloatOrDouble(INDArray array) {
        return CPU && (array.dataType() == DataType.FLOAT || array.dataType() == DataType.DOUBLE);
    }

    private Root root(INDArray array) {
        DataBuffer data = array.data();
        DataBuffer rootBuffer = data.originalDataBuffer() != null ? data.originalDataBuffer() : data;
        long address = rootBuffer.address();
        Root root = roots.get(address);
        if (root == null || root.bytes.capacity() != rootBuffer.length() * rootBuffer.getElementSize()) {
            if (roots.size() >= MAX_ENTRIES) {
                roots.clear(); // arrays of an earlier shape; the current ones come back on their next use
            }
            ByteBuffer bytes = data.asNio().order(ByteOrder.nativeOrder());
            root = new Root(bytes, new BytePointer(bytes));
            roots.put(address, root);
        }
        return root;
    }
}
