package io.sparktts.cli;

/** A bad command line: printed as one line with a pointer to {@code --help}, exit code 2. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
