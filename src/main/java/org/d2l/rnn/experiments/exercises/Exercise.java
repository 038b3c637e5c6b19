package org.d2l.rnn.experiments.exercises;

import org.d2l.rnn.experiments.Experiment;
import org.d2l.rnn.experiments.RunContext;
import org.d2l.rnn.report.Report;

/** A chapter exercise as an experiment: {@code run exercise-<topic>}, report in notebooks-export/exercises/. */
public interface Exercise extends Experiment {
    /** The exercise, as the book asks it. */
    String question();

    /** The report's opening every exercise shares: question, what was run, the answer, the command. */
    default Report report(RunContext ctx, String whatWasRun, String answer) {
        return ctx.report(this).paragraph("**Question.** " + question() + "\n\n**What was run.** " + whatWasRun)
                .paragraph("**Answer.** " + answer).command(ctx.command(this));
    }
}
