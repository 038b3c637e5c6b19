package org.d2l.rnn.bench;

/**
 * One config's training throughput.
 *
 * @param tokensPerSec   tokens (batch × steps) per second at the median window
 * @param ceilingShare   FLOPs per token × tokens/s ÷ the sgemm GFLOP/s ND4J reaches at the config's gate-matmul
 *                       shape (null for seq2seq, whose FLOPs are not counted)
 */
public record Measurement(String config, long params, double tokensPerSec, double msPerIter,
                          double[] msPerIterByWindow, Double trainingFlopsPerToken, Double sgemmGflops,
                          Double ceilingShare) {
}
