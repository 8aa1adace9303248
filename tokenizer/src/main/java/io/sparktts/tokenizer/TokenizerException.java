package io.sparktts.tokenizer;

import java.io.IOException;
import java.nio.file.Path;

/** Tokenizer files that cannot be read, or that describe a tokenizer this library does not reproduce exactly. */
public class TokenizerException extends IOException {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }

    static TokenizerException of(Path file, String problem) {
        return new TokenizerException(file + ": " + problem);
    }
}
