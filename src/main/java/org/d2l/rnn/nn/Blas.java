package org.d2l.rnn.nn;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasColMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * C = alpha op(A) op(B) + beta C for the kernels, straight into the BLAS ND4J itself uses (OpenBLAS) when every
 * operand is a host float/double matrix with one unit stride — row blocks, gate-column blocks and DL4J's 'f'
 * parameter views all are; anything else goes through {@code Nd4j.gemm}.
 *
 * <p>Why: measured here at an LSTM-256 step, {@code Nd4j.gemm} on the four [32, 256] x [256, 256] gate blocks
 * took 773 us against 362 us for the same four calls to cblas_sgemm (ND4J's matmul op builds an op context,
 * validates shapes and copies some views on every call); one fused [32, 256] x [256, 1024] call took 349 us.
 */
final class Blas {
    private final HostBuffers host;

    Blas(HostBuffers host) {
        this.host = host;
    }

    /** {@code c = alpha * op(a) op(b) + beta * c}; returns {@code c}. */
    INDArray gemm(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, double alpha, double beta) {
        Layout la = Layout.of(a);
        Layout lb = Layout.of(b);
        Layout lc = Layout.of(c);
        if (lc == null) { // ND4J's matmul into an arbitrary view is not safe: compute, then add in
            INDArray product = Nd4j.gemm(a, b, transA, transB).muli(alpha);
            return beta == 0 ? c.assign(product) : c.muli(beta).addi(product);
        }
        if (la == null || lb == null || !HostBuffers.hostFloatOrDouble(c)
                || a.dataType() != c.dataType() || b.dataType() != c.dataType()) {
            return Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
        }
        int m = (int) c.size(0);
        int n = (int) c.size(1);
        int k = (int) (transA ? a.size(0) : a.size(1));
        // cblas reads every operand in the output's layout; one stored the other way is its own transpose
        int order = lc.rowMajor ? CblasRowMajor : CblasColMajor;
        int opA = transA ^ (la.rowMajor != lc.rowMajor) ? CblasTrans : CblasNoTrans;
        int opB = transB ^ (lb.rowMajor != lc.rowMajor) ? CblasTrans : CblasNoTrans;
        if (c.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT) {
            cblas_sgemm(order, opA, opB, m, n, k, (float) alpha, host.floats(a), la.ld, host.floats(b), lb.ld,
                    (float) beta, host.floats(c), lc.ld);
        } else {
            cblas_dgemm(order, opA, opB, m, n, k, alpha, host.doubles(a), la.ld, host.doubles(b), lb.ld,
                    beta, host.doubles(c), lc.ld);
        }
        return c;
    }

    /**
     * {@code c = op(a) op(b) + row} with the row vector {@code row} (a bias) added to every row: the bias is copied
     * into c's rows and the product added by the same BLAS call (beta = 1), where an ND4J broadcast op would cost
     * ~10 us a call — at a generation step, with one row, more than the matmul.
     */
    INDArray gemmPlusRow(INDArray a, boolean transA, INDArray b, boolean transB, INDArray row, INDArray c) {
        if (Layout.of(c) != null && host.fillRows(row, c)) {
            return gemm(a, transA, b, transB, c, 1.0, 1.0);
        }
        return gemm(a, transA, b, transB, c, 1.0, 0.0).addiRowVector(row.reshape(1, c.size(1)));
    }

    /** How a rank-2 array sits in memory for BLAS: row- or column-major and its leading dimension. */
    private record Layout(boolean rowMajor, int ld) {
        static Layout of(INDArray x) {
            if (x.rank() != 2) {
                return null;
            }
            long rows = x.size(0);
            long cols = x.size(1);
            if (x.stride(1) == 1 || cols == 1) {
                long ld = rows == 1 ? cols : x.stride(0);
                return ld >= Math.max(1, cols) ? new Layout(true, (int) ld) : null;
            }
            if (x.stride(0) == 1 || rows == 1) {
                long ld = cols == 1 ? rows : x.stride(1);
                return ld >= Math.max(1, rows) ? new Layout(false, (int) ld) : null;
            }
            return null;
        }
    }
}
