package io.sparktts.core;

import java.io.IOException;

/** Bad input to the library (audio, configuration, model files, arguments), with a message naming what is wrong. */
public class SparkTtsException extends IOException {
    public SparkTtsException(String message) {
        super(message);
    }

    public SparkTtsException(String message, Throwable cause) {
        super(message, cause);
    }
}
