package io.sparktts.cli;

/** One subcommand of {@code spark-tts}. */
interface Command {
    String name();

    /** One line for the command list. */
    String summary();

    /** Full usage text printed by {@code --help}. */
    String usage();

    /** Runs with the arguments after the command name; returns the exit code. */
    int run(Args args) throws Exception;
}
