package dev.orchard.core.format;

import dev.orchard.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GgufFileTest {

    @Test
    void readsLlamaCppWrittenFile() throws IOException {
        try (GgufFile gguf = GgufFile.open(TestData.path("gguf/tiny-q4_0.gguf"))) {
            assertThat(gguf.version()).isEqualTo(3);
            assertThat(gguf.metadata().get("general.architecture")).isEqualTo("llama");
            assertThat(gguf.metadata().get("llama.embedding_length")).isEqualTo(64L);
            assertThat(gguf.metadata().get("tokenizer.ggml.tokens")).isInstanceOf(List.class);
            GgufFile.Tensor embd = gguf.tensor("token_embd.weight");
            assertThat(embd.dims()).containsExactly(64, 512);
            assertThat(embd.type()).isEqualTo(GgmlType.Q8_0);
            assertThat(gguf.tensor("blk.0.attn_q.weight").type()).isEqualTo(GgmlType.Q4_0);
            assertThat(gguf.tensor("blk.0.attn_q.weight").data().byteSize()).isEqualTo(64 * 64 / 32 * 18);
        }
    }

    @Test
    void rejectsWrongMagic(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.gguf");
        Files.write(bad, "NOPE-this-is-not-gguf-at-all-000000".getBytes());
        assertThatThrownBy(() -> GgufFile.open(bad)).isInstanceOf(FormatException.class).hasMessageContaining("not a GGUF file");
    }

    @Test
    void rejectsTruncatedHeader(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(TestData.path("gguf/tiny-f32.gguf"));
        Path bad = dir.resolve("truncated.gguf");
        Files.write(bad, Arrays.copyOf(whole, 200));
        assertThatThrownBy(() -> GgufFile.open(bad)).isInstanceOf(FormatException.class).hasMessageContaining("truncated");
    }

    @Test
    void rejectsTensorBeyondEndOfFile(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(TestData.path("gguf/tiny-f32.gguf"));
        Path bad = dir.resolve("short.gguf");
        Files.write(bad, Arrays.copyOf(whole, whole.length - 1000));
        assertThatThrownBy(() -> GgufFile.open(bad)).isInstanceOf(FormatException.class)
                .hasMessageContaining("outside the file");
    }

    @Test
    void rejectsUnsupportedVersionAndAbsurdCounts(@TempDir Path dir) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46554747).putInt(7).putLong(0).putLong(0);
        Path v7 = dir.resolve("v7.gguf");
        Files.write(v7, b.array());
        assertThatThrownBy(() -> GgufFile.open(v7)).hasMessageContaining("version 7");
        b.clear();
        b.putInt(0x46554747).putInt(3).putLong(1L << 50).putLong(0);
        Path huge = dir.resolve("huge.gguf");
        Files.write(huge, b.array());
        assertThatThrownBy(() -> GgufFile.open(huge)).hasMessageContaining("bad header");
    }
}
