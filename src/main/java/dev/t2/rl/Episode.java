package dev.t2.rl;

/** One prompt of a task and how to reward a completion of it (+1 correct / −1 wrong, as the reference). */
public record Episode(String id, int[] prompt, Reward reward) {
    @FunctionalInterface
    public interface Reward {
        double of(String completion);
    }
}
