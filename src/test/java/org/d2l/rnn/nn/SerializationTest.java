package org.d2l.rnn.nn;

import org.d2l.rnn.DoublePrecision;

import static org.d2l.rnn.nn.TestNets.BATCH;
import static org.d2l.rnn.nn.TestNets.HIDDEN;
import static org.d2l.rnn.nn.TestNets.Kind.FAST_GRU;
import static org.d2l.rnn.nn.TestNets.Kind.SCRATCH_LSTM;
import static org.d2l.rnn.nn.TestNets.Kind.SCRATCH_RNN_RELU;
import static org.d2l.rnn.nn.TestNets.STEPS;
import static org.d2l.rnn.nn.TestNets.maxAbsDiff;
import static org.d2l.rnn.nn.TestNets.oneHot;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/**
 * ModelSerializer round trip: configuration (JSON, incl. cell, activation and init of the scratch layers),
 * layer classes, parameters, updater state and outputs survive.
 */
class SerializationTest extends DoublePrecision {
    @TempDir
    Path directory;

    @Test
    void everyLayerKindSurvivesAModelSerializerRoundTrip() throws IOException {
        ComputationGraph net = TestNets.net(DataType.DOUBLE, new Adam(1e-2), 0, HIDDEN, FAST_GRU, SCRATCH_LSTM,
                SCRATCH_RNN_RELU);
        INDArray features = oneHot(BATCH, STEPS, DataType.DOUBLE, 10);
        net.fit(new DataSet(features, oneHot(BATCH, STEPS, DataType.DOUBLE, 11))); // non-trivial updater state

        File file = directory.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(net.getConfiguration().toJson(), restored.getConfiguration().toJson());
        for (String name : new String[]{"l0", "l1", "l2"}) {
            assertEquals(net.getLayer(name).getClass(), restored.getLayer(name).getClass(), name);
        }
        assertEquals(0, maxAbsDiff(net.params(), restored.params()));
        assertEquals(0, maxAbsDiff(net.getUpdater().getStateViewArray(),
                restored.getUpdater().getStateViewArray()));
        assertEquals(0, maxAbsDiff(net.outputSingle(features), restored.outputSingle(features)), 1e-12);
    }
}
