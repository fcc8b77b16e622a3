package dev.t2.calm;

import dev.t2.model.LlamaModel;
import dev.t2.model.TrainableWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Trains a composition's modules on sequences with target tokens; both models stay frozen. */
public final class CompositionTrainer {
    /** Rows per micro-batch: bounds activation memory whatever the batch. */
    static final int MICRO_BATCH_TOKENS = 4096;

    private CompositionTrainer() {}

    /**
     * Trains (or resumes from {@code outDir}) and returns the loss of the last step.
     *
     * @param anchor m_B with every weight frozen
     */
    public static double train(Composition composition, TrainableWeights anchor, LlamaModel augment, List<TargetedTraining.Sequence> data,
                               TargetedTraining.Config config, Path outDir) throws IOException {
        return TargetedTraining.train("compose", composition.parameters(),
                loss -> ComposedBackprop.runInMicroBatches(composition, anchor, augment, loss, MICRO_BATCH_TOKENS), data, config, outDir);
    }
}
