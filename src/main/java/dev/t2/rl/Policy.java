package dev.t2.rl;

import dev.t2.model.LlamaModel;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.Parameter;
import dev.t2.model.TrainableWeights;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a trainer trains: a base model plus a trainable parametrisation (SVF scales, LoRA factors). It gives the
 * training graph, an inference model with the current weights for rollouts and validation, and saves itself.
 */
public interface Policy {
    ModelConfig config();

    LlamaWeights base();

    TrainableWeights trainable();

    default List<Parameter> parameters() {
        return trainable().trainable();
    }

    /** Inference model with the current trainable weights applied. */
    LlamaModel model();

    /** Called before each optimizer step's forward pass (e.g. to draw a new dropout mask). */
    default void beginStep(long step) {}

    /** Writes the trained adaptation (an SVF expert, a LoRA adapter) atomically, with this metadata. */
    void save(Path file, Map<String, String> info);
}
