package dev.t2.tokenizer;

/** A chat template that is missing, malformed, or that refused the conversation (raise_exception). */
public class ChatTemplateException extends RuntimeException {

    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
