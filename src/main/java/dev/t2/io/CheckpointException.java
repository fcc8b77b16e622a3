package dev.t2.io;

/** A checkpoint or weight file that cannot be used; the message names the file, the tensor or key, and the problem. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
