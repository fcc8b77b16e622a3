package dev.t2.model;

import dev.t2.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The weights the training graph runs on: every projection is a {@link Linear} (frozen, dense, SVF, LoRA),
 * norms and biases are small f32 {@link Parameter}s, the embedding is stored (frozen) or a dense parameter.
 * {@link #trainable()} lists what an optimizer may update; everything else stays as loaded.
 */
public final class TrainableWeights {
    public record Layer(Parameter inputNorm, Linear query, Linear key, Linear value, Linear output,
                        Parameter queryBias, Parameter keyBias, Parameter valueBias,
                        Parameter postAttentionNorm, Linear gate, Linear up, Linear down) {
        List<Linear> projections() {
            return List.of(query, key, value, output, gate, up, down);
        }
    }

    private final ModelConfig config;
    private final Tensor frozenEmbedding;
    private final Parameter embedding;
    private final List<Layer> layers;
    private final Parameter finalNorm;
    private final Linear lmHead;
    private final Set<Parameter> trainable;

    private TrainableWeights(ModelConfig config, Tensor frozenEmbedding, Parameter embedding, List<Layer> layers,
                             Parameter finalNorm, Linear lmHead, Set<Parameter> trainable) {
        this.config = config;
        this.frozenEmbedding = frozenEmbedding;
        this.embedding = embedding;
        this.layers = List.copyOf(layers);
        this.finalNorm = finalNorm;
        this.lmHead = lmHead;
        this.trainable = trainable;
    }

    /** Everything frozen: the base model as the training graph sees it. */
    public static TrainableWeights frozen(ModelConfig c, LlamaWeights w) {
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            LayerWeights lw = w.layers().get(l);
            String p = "model.layers." + l + ".";
            layers.add(new Layer(vector(p + "input_layernorm.weight", lw.inputNorm()),
                    new FrozenLinear(lw.queryProj()), new FrozenLinear(lw.keyProj()), new FrozenLinear(lw.valueProj()),
                    new FrozenLinear(lw.outputProj()),
                    vector(p + "self_attn.q_proj.bias", lw.queryBias()), vector(p + "self_attn.k_proj.bias", lw.keyBias()),
                    vector(p + "self_attn.v_proj.bias", lw.valueBias()),
                    vector(p + "post_attention_layernorm.weight", lw.postAttentionNorm()),
                    new FrozenLinear(lw.gateProj()), new FrozenLinear(lw.upProj()), new FrozenLinear(lw.downProj())));
        }
        return new TrainableWeights(c, w.embedding(), null, layers, vector("model.norm.weight", w.finalNorm()),
                new FrozenLinear(w.lmHead()), new LinkedHashSet<>());
    }

    /** Every weight as a trainable f32 parameter (tiny models trained from scratch); a tied head shares the embedding. */
    public static TrainableWeights allTrainable(ModelConfig c, LlamaWeights w) {
        TrainableWeights f = frozen(c, w);
        Set<Parameter> trainable = new LinkedHashSet<>();
        Parameter embedding = dense("model.embed_tokens.weight", w.embedding());
        trainable.add(embedding);
        UnaryOperator<Linear> toDense = lin -> {
            Tensor t = ((FrozenLinear) lin).weight();
            DenseLinear d = new DenseLinear(dense(t.name(), t), t.rows(), t.cols());
            trainable.add(d.weight());
            return d;
        };
        List<Layer> layers = new ArrayList<>();
        for (Layer l : f.layers) {
            trainable.add(l.inputNorm());
            trainable.add(l.postAttentionNorm());
            for (Parameter b : new Parameter[] {l.queryBias(), l.keyBias(), l.valueBias()}) if (b != null) trainable.add(b);
            layers.add(new Layer(l.inputNorm(), toDense.apply(l.query()), toDense.apply(l.key()), toDense.apply(l.value()),
                    toDense.apply(l.output()), l.queryBias(), l.keyBias(), l.valueBias(), l.postAttentionNorm(),
                    toDense.apply(l.gate()), toDense.apply(l.up()), toDense.apply(l.down())));
        }
        trainable.add(f.finalNorm);
        Linear head = w.lmHead() == w.embedding()
                ? new DenseLinear(embedding, c.vocabSize(), c.hiddenSize())
                : toDense.apply(f.lmHead);
        return new TrainableWeights(c, null, embedding, layers, f.finalNorm, head, trainable);
    }

    /** These weights with some projections replaced (e.g. by SVF or LoRA maps), whose parameters become trainable. */
    public TrainableWeights withProjections(java.util.function.BiFunction<String, Linear, Linear> replace) {
        Set<Parameter> train = new LinkedHashSet<>(trainable);
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String p = "model.layers." + i + ".";
            Linear[] m = {replace.apply(p + "self_attn.q_proj", l.query()), replace.apply(p + "self_attn.k_proj", l.key()),
                    replace.apply(p + "self_attn.v_proj", l.value()), replace.apply(p + "self_attn.o_proj", l.output()),
                    replace.apply(p + "mlp.gate_proj", l.gate()), replace.apply(p + "mlp.up_proj", l.up()),
                    replace.apply(p + "mlp.down_proj", l.down())};
            for (Linear lin : m) train.addAll(lin.parameters());
            out.add(new Layer(l.inputNorm(), m[0], m[1], m[2], m[3], l.queryBias(), l.keyBias(), l.valueBias(),
                    l.postAttentionNorm(), m[4], m[5], m[6]));
        }
        return new TrainableWeights(config, frozenEmbedding, embedding, out, finalNorm, lmHead, train);
    }

    private static Parameter vector(String name, Tensor t) {
        return t == null ? null : new Parameter(name, t.toFloatArray(), (int) t.size());
    }

    private static Parameter dense(String name, Tensor t) {
        return new Parameter(name, t.toFloatArray(), t.rows(), t.cols());
    }

    public ModelConfig config() {
        return config;
    }

    public List<Layer> layers() {
        return layers;
    }

    public Parameter finalNorm() {
        return finalNorm;
    }

    public Linear lmHead() {
        return lmHead;
    }

    /** The trainable embedding matrix, or null when the stored embedding is frozen. */
    public Parameter embedding() {
        return embedding;
    }

    /** Embedding row of a token into out[offset, offset + hidden). */
    void embed(int token, float[] out, int offset) {
        if (embedding != null) System.arraycopy(embedding.value(), token * config.hiddenSize(), out, offset, config.hiddenSize());
        else frozenEmbedding.readRow(token, out, offset);
    }

    /** What an optimizer may update, in a stable order. */
    public List<Parameter> trainable() {
        return List.copyOf(trainable);
    }

    public long trainableCount() {
        long n = 0;
        for (Parameter p : trainable) n += p.size();
        return n;
    }

    public void zeroGrad() {
        for (Parameter p : trainable) p.zeroGrad();
    }
}
