package dev.t2.tokenizer;

/** A tokenizer file that cannot be used: missing, malformed, or using a feature we do not implement. */
public class TokenizerException extends RuntimeException {

    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
