/** The {@code spark-tts} command line. */
module io.sparktts.cli {
    requires io.sparktts.core;
}
