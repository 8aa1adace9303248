/** The {@code spark-tts} command line. */
module io.sparktts.cli {
    requires io.sparktts.core;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
}
