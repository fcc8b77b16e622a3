package dev.t2.model;

/**
 * How rotary frequencies are rescaled for long contexts. {@code type} is "default" (none), "linear" or
 * "llama3" (Llama 3.1/3.2: low frequencies divided by factor, a smooth ramp between the two wavelength bounds).
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositions) {

    public static final RopeScaling NONE = new RopeScaling("default", 1, 1, 1, 0);

    public RopeScaling {
        if (!type.equals("default") && !type.equals("linear") && !type.equals("llama3")) {
            throw new IllegalArgumentException("unsupported rope_scaling type '" + type + "' (supported: default, linear, llama3)");
        }
        if (!(factor > 0)) throw new IllegalArgumentException("rope_scaling factor must be > 0, got " + factor);
    }

    /** Inverse frequencies θ^(-2i/d) for i in [0, d/2), rescaled as this scaling prescribes. */
    public float[] inverseFrequencies(int headDim, double theta) {
        float[] inv = new float[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            // float32, as transformers computes it: 1 / base^(arange(0, d, 2).float() / d)
            float freq = (float) (1.0 / Math.pow(theta, (float) (2 * i) / headDim));
            inv[i] = switch (type) {
                case "linear" -> (float) (freq / factor);
                case "llama3" -> llama3(freq);
                default -> freq;
            };
        }
        return inv;
    }

    private float llama3(float freq) {
        double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
        double highFreqWavelen = originalMaxPositions / highFreqFactor;
        double wavelen = 2 * Math.PI / freq;
        if (wavelen < highFreqWavelen) return freq;
        if (wavelen > lowFreqWavelen) return (float) (freq / factor);
        double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (float) ((1 - smooth) * freq / factor + smooth * freq);
    }
}
