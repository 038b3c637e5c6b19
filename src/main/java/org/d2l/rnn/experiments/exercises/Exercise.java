package org.d2l.rnn.experiments.exercises;

import org.d2l.rnn.experiments.Experiment;

/** A chapter exercise as an experiment: {@code run exercise-<topic>}, report in notebooks-export/exercises/. */
public interface Exercise extends Experiment {
    /** The exercise, as the book asks it. */
    String question();
}
