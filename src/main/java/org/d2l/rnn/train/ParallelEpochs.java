package org.d2l.rnn.train;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Data-parallel epochs with DL4J's own engine, {@link ParallelWrapper}: each of N workers (threads; devices on a
 * GPU host) fits its own minibatch on a replica, then parameters and updater state are averaged — every round
 * (averaging frequency 1), so N workers act like one model on N× the minibatch. Only for fresh-state minibatches
 * (random partitioning): replicas cannot share a carried state.
 */
final class ParallelEpochs {
    private final ParallelWrapper wrapper;
    private final DataSetIterator data;
    private final int steps;
    private final LossCollector losses = new LossCollector();
    private final ReplicaBarrier barrier;

    ParallelEpochs(ComputationGraph net, int workers, DataSetIterator data, int steps, List<TrainingListener> listeners) {
        this.data = data;
        this.steps = steps;
        net.setListeners(List.of()); // the wrapper hands its listeners to every replica
        this.wrapper = new ParallelWrapper.Builder<>(net).workers(workers).prefetchBuffer(0).averagingFrequency(1)
                .averageUpdaters(true).trainingMode(ParallelWrapper.TrainingMode.AVERAGING)
                .reportScoreAfterAveraging(false).build();
        this.barrier = new ReplicaBarrier(net, wrapper);
        List<TrainingListener> all = new ArrayList<>(listeners);
        all.add(losses);
        all.add(barrier);
        wrapper.setListeners(all);
    }

    /** One epoch over the data; its per-token loss. */
    Perplexity fitEpoch() {
        losses.clear();
        barrier.newEpoch();
        data.reset();
        wrapper.fit(data);
        return losses.perplexity();
    }

    /**
     * Makes the start of every epoch deterministic. ParallelWrapper (M2.1) starts its worker threads at every
     * {@code fit}; worker 0 trains the original network while each other worker copies it into its replica when
     * its thread starts. If worker 0 finishes a minibatch first, a replica copies half-trained parameters — the
     * run's numbers then depend on thread timing (seen: a different first-epoch perplexity in the first run of a
     * JVM). So worker 0 waits, before its first update of the epoch, until every other trainer holds its own replica
     * with listeners (a trainer starts out holding the original network, and gets its listeners only after
     * copying parameters and updater state).
     */
    private static final class ReplicaBarrier extends BaseTrainingListener {
        private final Model root;
        private final java.lang.reflect.Field zoo;
        private final ParallelWrapper wrapper;
        private volatile boolean ready;

        ReplicaBarrier(Model root, ParallelWrapper wrapper) {
            this.root = root;
            this.wrapper = wrapper;
            try {
                zoo = ParallelWrapper.class.getDeclaredField("zoo");
                zoo.setAccessible(true);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("ParallelWrapper without its worker array: not DL4J 1.0.0-M2.1?", e);
            }
        }

        void newEpoch() {
            ready = false;
        }

        @Override
        public void onGradientCalculation(Model model) {
            if (model != root || ready) {
                return;
            }
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!replicasSetUp()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ParallelWrapper's workers did not start within 2 minutes");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(100_000); // sleep, not spin: the replica needs the core
            }
            ready = true;
        }

        private boolean replicasSetUp() {
            try {
                Object[] trainers = (Object[]) zoo.get(wrapper);
                for (int i = 1; i < trainers.length; i++) {
                    // a trainer holds the original network until its thread has built and filled its replica
                    Model m = trainers[i] == null ? null : ((org.deeplearning4j.parallelism.trainer.Trainer) trainers[i]).getModel();
                    if (m == null || m == root || listenersOf(m).isEmpty()) {
                        return false;
                    }
                }
                return true;
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        private static java.util.Collection<TrainingListener> listenersOf(Model m) {
            return m instanceof ComputationGraph g ? g.getListeners() : List.of();
        }
    }

    /**
     * Each replica's minibatch loss (DL4J's score, before the update) times its rows. Summed in a fixed order so
     * the epoch's perplexity does not depend on which thread finished first.
     */
    private final class LossCollector extends BaseTrainingListener {
        private final List<double[]> batches = new ArrayList<>();

        @Override
        public synchronized void iterationDone(Model model, int iteration, int epoch) {
            long rows = model.batchSize();
            batches.add(new double[] {model.score() * rows, rows * (double) steps});
        }

        synchronized void clear() {
            batches.clear();
        }

        synchronized Perplexity perplexity() {
            batches.sort((a, b) -> Double.compare(a[0], b[0]));
            Perplexity p = new Perplexity();
            for (double[] b : batches) {
                p.addSum(b[0], (long) b[1]);
            }
            return p;
        }
    }
}
