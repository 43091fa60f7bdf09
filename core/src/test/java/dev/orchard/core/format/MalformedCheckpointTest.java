package dev.orchard.core.format;

import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.ModelConfig;
import dev.orchard.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every malformed input the loaders can meet gets a clear error naming the problem. */
class MalformedCheckpointTest {

    static final Path GOOD = TestData.path("golden/gqa-tied");

    static Path safetensors(Path dir, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = dir.resolve("t.safetensors");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void truncatedSafetensors(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(GOOD.resolve("model.safetensors"));
        Path p = dir.resolve("cut.safetensors");
        Files.write(p, Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> SafeTensors.open(p)).isInstanceOf(FormatException.class)
                .hasMessageContaining("outside the data");
        Files.write(p, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafeTensors.open(p)).hasMessageContaining("shorter than the 8-byte header length");
    }

    @Test
    void badHeaderLength(@TempDir Path dir) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).putLong(0);
        Path p = dir.resolve("h.safetensors");
        Files.write(p, b.array());
        assertThatThrownBy(() -> SafeTensors.open(p)).hasMessageContaining("bad header length");
    }

    @Test
    void headerNotJson(@TempDir Path dir) throws IOException {
        Path p = safetensors(dir, "{\"a\": [", 0);
        assertThatThrownBy(() -> SafeTensors.open(p)).hasMessageContaining("not valid JSON");
    }

    @Test
    void unknownDtypeAndWrongByteCount(@TempDir Path dir) throws IOException {
        Path p = safetensors(dir, "{\"w\": {\"dtype\": \"Q7\", \"shape\": [2], \"data_offsets\": [0, 2]}}", 2);
        assertThatThrownBy(() -> SafeTensors.open(p)).hasMessageContaining("unknown dtype Q7");
        Path q = safetensors(dir, "{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", 8);
        assertThatThrownBy(() -> SafeTensors.open(q)).hasMessageContaining("needs 12 bytes");
    }

    @Test
    void weightOfIntegerDtype(@TempDir Path dir) throws IOException {
        Path p = safetensors(dir, "{\"w\": {\"dtype\": \"I32\", \"shape\": [1, 2], \"data_offsets\": [0, 8]}}", 8);
        try (SafeTensors st = SafeTensors.open(p)) {
            assertThatThrownBy(() -> st.tensors().get("w").encoding()).hasMessageContaining("weights must be F32, F16 or BF16");
        }
    }

    static Path copyWithConfig(Path dir, String config) throws IOException {
        Files.copy(GOOD.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("config.json"), config);
        return dir;
    }

    @Test
    void inconsistentConfig(@TempDir Path dir) throws IOException {
        String good = Files.readString(GOOD.resolve("config.json"));
        Path d1 = Files.createDirectory(dir.resolve("heads"));
        assertThatThrownBy(() -> LanguageModel.load(copyWithConfig(d1, good.replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3"))))
                .isInstanceOf(FormatException.class).hasMessageContaining("must be a multiple of num_key_value_heads");
        Path d2 = Files.createDirectory(dir.resolve("shape"));
        assertThatThrownBy(() -> LanguageModel.load(copyWithConfig(d2, good.replace("\"intermediate_size\": 96", "\"intermediate_size\": 128"))))
                .isInstanceOf(FormatException.class).hasMessageContaining("expected [128, 64] from config.json");
        Path d3 = Files.createDirectory(dir.resolve("missing"));
        assertThatThrownBy(() -> LanguageModel.load(copyWithConfig(d3, good.replace("\"hidden_size\"", "\"hidden_sizes\""))))
                .hasMessageContaining("missing or non-integer hidden_size");
        Path d4 = Files.createDirectory(dir.resolve("json"));
        assertThatThrownBy(() -> LanguageModel.load(copyWithConfig(d4, "{ nope")))
                .hasMessageContaining("not valid JSON");
        Path d5 = Files.createDirectory(dir.resolve("layers"));
        assertThatThrownBy(() -> LanguageModel.load(copyWithConfig(d5, good.replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3"))))
                .hasMessageContaining("missing tensor model.layers.2.");
        Path d6 = Files.createDirectory(dir.resolve("rope"));
        assertThatThrownBy(() -> LanguageModel.load(copyWithConfig(d6, good.replace("\"rope_scaling\": null",
                "\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4}"))))
                .hasMessageContaining("rope_scaling type 'yarn' is not supported");
    }

    @Test
    void missingFiles(@TempDir Path dir) {
        assertThatThrownBy(() -> LanguageModel.load(dir.resolve("absent"))).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> LanguageModel.load(dir)).hasMessageContaining("has no config.json");
    }

    @Test
    void missingShardInIndex(@TempDir Path dir) throws IOException {
        Files.copy(GOOD.resolve("config.json"), dir.resolve("config.json"));
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"model.norm.weight\": \"model-00001-of-00002.safetensors\"}}");
        assertThatThrownBy(() -> LanguageModel.load(dir)).hasMessageContaining("shard model-00001-of-00002.safetensors is missing");
    }

    @Test
    void unsupportedGgufTensorTypeIsNamed(@TempDir Path dir) throws IOException {
        // Rewrite the type id of blk.0.attn_q.weight in the Q4_0 file to Q4_K (12) and give it a compatible size.
        byte[] bytes = Files.readAllBytes(TestData.path("gguf/tiny-f32.gguf"));
        byte[] name = "blk.0.attn_q.weight".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(bytes, name);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int typePos = at + name.length + 4 + 2 * 8; // n_dims (u32) + two dims (u64)
        b.putInt(typePos, 14); // Q6_K: 256-element blocks; 64 columns are not a multiple, so a clear error at open
        Path p = dir.resolve("k.gguf");
        Files.write(p, bytes);
        assertThatThrownBy(() -> LanguageModel.load(p)).isInstanceOf(FormatException.class)
                .hasMessageContaining("blk.0.attn_q.weight").hasMessageContaining("Q6_K");
        b.putInt(typePos, 99);
        Files.write(p, bytes);
        assertThatThrownBy(() -> LanguageModel.load(p)).hasMessageContaining("blk.0.attn_q.weight")
                .hasMessageContaining("unknown type id 99");
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void presetsAreValid() {
        for (String name : ModelConfig.presetNames()) {
            ModelConfig.preset(name);
        }
        assertThatThrownBy(() -> ModelConfig.preset("huge")).hasMessageContaining("unknown preset 'huge'");
    }
}
