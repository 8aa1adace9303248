package io.sparktts.core.qwen2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparktts.core.SparkTtsException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class Qwen2ConfigTest {
    private static final Path FIXTURE = Path.of("src/test/resources/golden/qwen2-tiny/config.json");

    @Test
    void readsTheFixtureConfig() throws Exception {
        Qwen2Config c = Qwen2Config.read(FIXTURE);
        assertEquals(new Qwen2Config(64, 160, 3, 4, 2, 1024, 32768, 1e6, 1e-6f, true), c);
        assertEquals(16, c.headDim());
        assertEquals(32, c.kvDim());
    }

    private static String refusal(String field, Object value) throws Exception {
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(FIXTURE.toFile());
        root.set(field, new ObjectMapper().valueToTree(value));
        return assertThrows(SparkTtsException.class, () -> Qwen2Config.parse(root, "cfg")).getMessage();
    }

    @Test
    void unsupportedArchitectureFieldsAreErrors() throws Exception {
        java.util.Map<String, Object> rope = new java.util.LinkedHashMap<>();
        rope.put("rope_type", "yarn");
        rope.put("rope_theta", 10000.0);
        assertEquals("cfg: rope_scaling {\"type\":\"linear\"} is not supported",
                refusal("rope_scaling", java.util.Map.of("type", "linear")));
        assertEquals("cfg: use_sliding_window true is not supported (full attention only)", refusal("use_sliding_window", true));
        assertEquals("cfg: hidden_act 'gelu' is not supported (only silu)", refusal("hidden_act", "gelu"));
        assertEquals("cfg: unsupported Qwen2 config field 'partial_rotary_factor'", refusal("partial_rotary_factor", 0.5));
        assertEquals("cfg: model_type 'llama' is not qwen2", refusal("model_type", "llama"));
        assertEquals("cfg: Qwen2 config field 'hidden_size' is \"64\", not an integer", refusal("hidden_size", "64"));
        assertEquals("cfg: 4 attention heads are not a multiple of 3 key/value heads", refusal("num_key_value_heads", 3));
        assertEquals("cfg: head_dim 32 times 4 heads is not hidden_size 64", refusal("head_dim", 32));
        assertEquals("cfg: layer_types entry \"sliding_attention\" is not supported (full_attention only)",
                refusal("layer_types", java.util.List.of("full_attention", "sliding_attention", "full_attention")));
        assertEquals("cfg: rope_parameters {\"rope_type\":\"yarn\",\"rope_theta\":10000.0} is not supported (default RoPE only)",
                refusal("rope_parameters", rope));
    }

    @Test
    void missingFieldsAreNamed() throws Exception {
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(FIXTURE.toFile());
        root.remove("vocab_size");
        assertEquals("cfg: missing Qwen2 config field 'vocab_size'",
                assertThrows(SparkTtsException.class, () -> Qwen2Config.parse(root, "cfg")).getMessage());
        assertEquals("nowhere/config.json: no such file (the Qwen2 config.json)",
                assertThrows(SparkTtsException.class, () -> Qwen2Config.read(Path.of("nowhere/config.json"))).getMessage());
    }
}
