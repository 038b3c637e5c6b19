package org.d2l.rnn.report;

/**
 * One of the small checks d2l prints beside its code (a one-hot encoding, a tensor's shape, a masked loss), with
 * what our code gives for the same input. Sections compute them; {@link Report#checks} shows them.
 *
 * @param what   d2l's expression, as its code writes it
 * @param d2l    what d2l prints for it
 * @param ours   what our code gives, with its layout where it differs from PyTorch's
 * @param agrees whether ours is d2l's (up to the stated layout)
 */
public record D2lCheck(String what, String d2l, String ours, boolean agrees) {
}
