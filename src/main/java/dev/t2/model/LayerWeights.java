package dev.t2.model;

import dev.t2.tensor.Tensor;

/** The stored weights of one decoder layer, in Hugging Face naming. Biases are null unless the architecture has them. */
public record LayerWeights(
        Tensor inputNorm,
        Tensor queryProj, Tensor keyProj, Tensor valueProj, Tensor outputProj,
        Tensor queryBias, Tensor keyBias, Tensor valueBias,
        Tensor postAttentionNorm,
        Tensor gateProj, Tensor upProj, Tensor downProj) {

    /** Same layer with some matrices replaced (adapted weights share everything else). */
    public LayerWeights withMatrices(Tensor q, Tensor k, Tensor v, Tensor o, Tensor gate, Tensor up, Tensor down) {
        return new LayerWeights(inputNorm, q, k, v, o, queryBias, keyBias, valueBias, postAttentionNorm, gate, up, down);
    }
}
