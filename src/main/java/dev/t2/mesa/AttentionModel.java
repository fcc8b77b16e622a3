package dev.t2.mesa;

import dev.t2.model.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A stack of attention-only layers over tokens of width 4·dim; the prediction of s_{t+1} is the first dim entries of
 * the last layer's output at position t. Loss = Σ_{b,t} ‖prediction − s_{t+1}‖² / (2·B·T), with a hand-written
 * reverse pass. Batches are cut into fixed chunks of sequences whose gradients are summed in order, so results do not
 * depend on the number of threads.
 */
public final class AttentionModel {
    static final int CHUNK = 32;

    private final ModelSpec spec;
    private final int dim, width;
    private final List<AttentionLayer> layers = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();

    public AttentionModel(ModelSpec spec, int dim, long seed) {
        if (dim <= 0) throw new IllegalArgumentException("state dim must be positive");
        this.spec = spec;
        this.dim = dim;
        this.width = spec.tokens().width(dim);
        Random rnd = new Random(seed);
        for (int l = 0; l < spec.layers().size(); l++) {
            AttentionLayer layer = new AttentionLayer("layer" + l + ".", spec.layers().get(l), width, spec.heads(), spec.headDim(), spec.initStd(), rnd);
            layers.add(layer);
            parameters.addAll(layer.parameters());
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    public int dim() {
        return dim;
    }

    public int width() {
        return width;
    }

    public List<AttentionLayer> layers() {
        return List.copyOf(layers);
    }

    public List<Parameter> parameters() {
        return List.copyOf(parameters);
    }

    public int parameterCount() {
        return parameters.stream().mapToInt(Parameter::size).sum();
    }

    /** The mean loss on the batch, without gradients. */
    public double loss(Sequences batch, Workers workers) {
        return run(batch, workers, false);
    }

    /** The mean loss on the batch; every parameter's grad is overwritten with the loss's gradient. */
    public double lossAndGradient(Sequences batch, Workers workers) {
        return run(batch, workers, true);
    }

    private double run(Sequences batch, Workers workers, boolean gradient) {
        checkDim(batch);
        int chunks = (batch.batch() + CHUNK - 1) / CHUNK;
        double[] sums = new double[chunks];
        List<List<float[]>> grads = new ArrayList<>();
        for (int c = 0; c < chunks; c++) grads.add(gradient ? parameters.stream().map(p -> new float[p.size()]).toList() : null);
        workers.forEach(chunks, c -> sums[c] = chunk(batch, c * CHUNK, Math.min(batch.batch(), (c + 1) * CHUNK), grads.get(c)));
        double sum = 0;
        for (double s : sums) sum += s;
        if (gradient) {
            for (int p = 0; p < parameters.size(); p++) {
                float[] g = parameters.get(p).grad();
                java.util.Arrays.fill(g, 0f);
                for (int c = 0; c < chunks; c++) HeadView.axpy(1f, grads.get(c).get(p), 0, g, 0, g.length);
            }
        }
        return sum / (2.0 * batch.batch() * batch.length());
    }

    /** Σ‖prediction − target‖² over sequences [from, to); adds gradients of the mean loss into grads when given. */
    private double chunk(Sequences batch, int from, int to, List<float[]> grads) {
        int len = batch.length(), depth = layers.size();
        List<AttentionLayer.Activations> acts = layers.stream().map(l -> l.activations(len)).toList();
        float[][] streams = new float[depth + 1][len * width];
        float[] dy = new float[len * width], dx = new float[len * width];
        float scale = 1f / ((float) batch.batch() * len);
        double sum = 0;
        for (int b = from; b < to; b++) {
            forward(batch, b, acts, streams);
            java.util.Arrays.fill(dy, 0f);
            for (int t = 0; t < len; t++) {
                int target = batch.offset(b, t + 1);
                for (int i = 0; i < dim; i++) {
                    float diff = streams[depth][t * width + i] - batch.states()[target + i];
                    sum += (double) diff * diff;
                    dy[t * width + i] = diff * scale;
                }
            }
            if (grads == null) continue;
            int first = parameters.size();
            for (int l = depth - 1; l >= 0; l--) {
                first -= layers.get(l).parameters().size();
                layers.get(l).backward(acts.get(l), dy, dx, grads.subList(first, first + layers.get(l).parameters().size()));
                float[] swap = dy;
                dy = dx;
                dx = swap;
            }
        }
        return sum;
    }

    private void forward(Sequences batch, int b, List<AttentionLayer.Activations> acts, float[][] streams) {
        spec.tokens().tokens(batch, b, streams[0]);
        for (int l = 0; l < layers.size(); l++) layers.get(l).forward(streams[l], acts.get(l), streams[l + 1]);
    }

    /** The residual stream of sequence b before the first layer (l = 0) and after each layer: [layers + 1][length·width]. */
    public float[][] residualStreams(Sequences batch, int b) {
        checkDim(batch);
        float[][] streams = new float[layers.size() + 1][batch.length() * width];
        forward(batch, b, layers.stream().map(l -> l.activations(batch.length())).toList(), streams);
        return streams;
    }

    /** The predictions of s_1 … s_length for sequence b, [length, dim]. */
    public float[] predictions(Sequences batch, int b) {
        float[] last = residualStreams(batch, b)[layers.size()], out = new float[batch.length() * dim];
        for (int t = 0; t < batch.length(); t++) System.arraycopy(last, t * width, out, t * dim, dim);
        return out;
    }

    private void checkDim(Sequences batch) {
        if (batch.dim() != dim) throw new IllegalArgumentException("the model is for states of dim " + dim + ", the data has dim " + batch.dim());
    }
}
