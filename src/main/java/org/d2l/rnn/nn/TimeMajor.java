package org.d2l.rnn.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The time-major view of recurrent arrays shared by the fused kernels and {@link FusedRnnOutputLayer}: a
 * [B, C, T] sequence array read as the matrix [T·B, C] whose row {@code t·B + b} is sample b at step t. In that
 * form a whole sequence is one matmul, and the [T·B, C] buffers of the kernels are the sequence itself.
 *
 * <p>Why not DL4J's {@code TimeSeriesUtils.reshape3dTo2d}/{@code reshape2dTo3d}: they fix one memory order and
 * copy everything else with ND4J's strided assign, which was a fifth of an RNN-512 training step in the profile.
 */
public final class TimeMajor {
    private TimeMajor() {
    }

    /**
     * {@code sequence} [B, C, T] as [T·B, C] without copying when its strides allow it (the row of (t, b) sits at
     * t·stride_T + b·stride_B, so that needs stride_T = B·stride_B and one unit stride for BLAS); null otherwise.
     */
    public static INDArray rowsView(INDArray sequence) {
        if (sequence.rank() != 3 || sequence.isEmpty()) {
            return null;
        }
        long batch = sequence.size(0);
        long channels = sequence.size(1);
        long steps = sequence.size(2);
        long rowStride;
        if (batch == 1) {
            rowStride = steps == 1 ? channels : sequence.stride(2);
        } else {
            rowStride = sequence.stride(0);
            if (steps > 1 && sequence.stride(2) != batch * rowStride) {
                return null;
            }
        }
        long columnStride = channels == 1 ? 1 : sequence.stride(1);
        boolean rowMajor = columnStride == 1;
        if (!rowMajor && rowStride != 1) {
            return null;
        }
        return Nd4j.create(sequence.data(), new long[]{steps * batch, channels},
                new long[]{rowStride, columnStride}, sequence.offset(), rowMajor ? 'c' : 'f');
    }

    /**
     * {@link #rowsView} made once per sequence array: a generation step hands a layer the same array every character
     * (the network's input array, a fused kernel's own buffer in an {@link InferenceSession}), and a view costs ND4J's
     * shape information, ~10 us, about as much as the step's whole elementwise work.
     */
    static final class RowsViewCache {
        private INDArray sequence;
        private INDArray view;

        /** {@link #rowsView} of {@code sequence} (null where there is none), made again only for another array. */
        INDArray of(INDArray sequence) {
            if (sequence != this.sequence) {
                this.sequence = sequence;
                view = rowsView(sequence);
            }
            return view;
        }

        /** Forgets the array, so that it can be freed. */
        void clear() {
            sequence = null;
            view = null;
        }
    }

    /** {@code sequence} [B, C, T] as [T·B, C]: the view if there is one, else a row-major copy into {@code buffer}. */
    static INDArray rows(INDArray sequence, INDArray buffer, HostBuffers host) {
        INDArray view = rowsView(sequence);
        return view != null ? view : copy(sequence, buffer, false, host);
    }

    /**
     * Copies {@code sequence} [B, C, T] into the row-major [T·B, C] {@code buffer} (returned), in reversed time
     * order if {@code reversed}: row copies when the sequence has a time-major view, ND4J's permuted assign
     * otherwise.
     */
    static INDArray copy(INDArray sequence, INDArray buffer, boolean reversed, HostBuffers host) {
        long batch = sequence.size(0);
        INDArray view = rowsView(sequence);
        if (view != null) {
            host.copyRows(view, buffer, batch, reversed);
            return buffer;
        }
        INDArray ordered = reversed ? Nd4j.create(buffer.dataType(), buffer.shape()) : buffer;
        ordered.reshape('c', sequence.size(2), batch, sequence.size(1)).assign(sequence.permute(2, 0, 1));
        if (reversed) {
            host.copyRows(ordered, buffer, batch, true);
        }
        return buffer;
    }

    /** A row-major [T·B, C] buffer made outside any workspace (kept across iterations). */
    public static INDArray buffer(DataType dataType, long batch, long channels, long steps) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.create(dataType, steps * batch, channels);
        }
    }

    /** The time-major matrix {@code rows} [T·B, C] (any strides) seen as the sequence [B, C, T] (a view). */
    public static INDArray sequence(INDArray rows, long batch) {
        long steps = rows.size(0) / batch;
        long rowStride = rows.size(0) > 1 ? rows.stride(0) : rows.size(1);
        long columnStride = rows.size(1) > 1 ? rows.stride(1) : 1;
        return Nd4j.create(rows.data(), new long[]{batch, rows.size(1), steps},
                new long[]{rowStride, columnStride, batch * rowStride}, rows.offset(), 'c');
    }
}
