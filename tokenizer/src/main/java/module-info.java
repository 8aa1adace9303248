/** Qwen2 byte-level BPE tokenizer with added tokens, read from HF tokenizer files. */
module io.sparktts.tokenizer {
    requires com.fasterxml.jackson.databind;
}
