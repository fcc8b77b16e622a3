package dev.t2.model;

/** New tokens of one sequence to run through the model, appended after what its cache already holds. */
public record SequenceChunk(KvCache cache, int[] tokens) {
    public SequenceChunk {
        if (tokens.length == 0) throw new IllegalArgumentException("a chunk needs at least one token");
    }
}
