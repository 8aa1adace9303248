/** Qwen2 byte-level BPE tokenizer with added tokens, read from Hugging Face tokenizer files. */
module io.sparktts.tokenizer {
    requires com.fasterxml.jackson.databind;
    exports io.sparktts.tokenizer;
}
