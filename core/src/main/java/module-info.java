/** Spark-TTS models (Qwen2 LM, BiCodec, wav2vec2), audio I/O and the text-to-speech pipeline. */
module io.sparktts.core {
    requires transitive io.sparktts.safetensors;
    requires io.sparktts.kernels;
    requires transitive io.sparktts.tokenizer;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.lz4.java;
    requires jdk.incubator.vector;

    exports io.sparktts.core;
    exports io.sparktts.core.audio;
    exports io.sparktts.core.wav2vec2;
    exports io.sparktts.core.bicodec;
    exports io.sparktts.core.pipeline;
    exports io.sparktts.core.prompt;
    exports io.sparktts.core.qwen2;
    exports io.sparktts.core.sampling;
    exports io.sparktts.core.text;
    exports io.sparktts.core.voice;
}
