package dev.t2.io;

import java.nio.file.Path;

/** A checkpoint file that cannot be read or written: the message names the file and what is wrong where. */
public class CheckpointException extends RuntimeException {

    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
