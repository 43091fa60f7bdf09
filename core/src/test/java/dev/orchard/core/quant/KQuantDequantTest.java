package dev.orchard.core.quant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchard.core.format.GgufFile;
import dev.orchard.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * K-quant tensors of files quantized by llama.cpp's llama-quantize, dequantized by Orchard, against llama.cpp's
 * own dequantization of the same tensors (llama-quantize back to F32; testdata/gguf-kquants/dequant.json holds
 * the SHA-256 of each tensor's float32 values and its first 16 values). Both the reference and the vectorized
 * decoding must give llama.cpp's values bit for bit.
 */
class KQuantDequantTest {

    private static JsonNode dequant() throws IOException {
        return new ObjectMapper().readTree(Files.readString(TestData.path("gguf-kquants/dequant.json")));
    }

    static String sha256(float[] values) throws NoSuchAlgorithmException {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny256-q2_k.gguf", "tiny256-q3_k.gguf", "tiny256-q4_k.gguf", "tiny256-q5_k.gguf",
            "tiny256-q6_k.gguf", "tiny256-q4_k_m.gguf"})
    void dequantizedTensorsEqualLlamaCppsBitForBit(String file) throws Exception {
        JsonNode want = dequant().path(file);
        assertThat(want.size()).as("tensors listed for %s", file).isGreaterThan(0);
        try (GgufFile gguf = GgufFile.open(TestData.path("gguf-kquants/" + file))) {
            for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                GgufFile.Tensor t = gguf.tensor(e.getKey());
                assertThat(t.typeName()).isEqualTo(e.getValue().path("type").asText());
                int cols = (int) t.dims()[0];
                int rows = (int) (t.elements() / cols);
                EncodedMatrix m = (EncodedMatrix) WeightMatrices.wrap(t.type().encoding().orElseThrow(), t.data(),
                        rows, cols);
                float[] reference = new float[rows * cols];
                for (int r = 0; r < rows; r++) {
                    m.rowScalar(r, reference, r * cols);
                }
                float[] vector = m.dequantize();
                for (int j = 0; j < 16; j++) {
                    assertThat(reference[j]).as("%s %s value %d", file, t.name(), j)
                            .isEqualTo((float) e.getValue().path("first16").get(j).asDouble());
                }
                assertThat(sha256(reference)).as("%s %s reference decoding", file, t.name())
                        .isEqualTo(e.getValue().path("sha256").asText());
                assertThat(sha256(vector)).as("%s %s vector decoding", file, t.name())
                        .isEqualTo(e.getValue().path("sha256").asText());
            }
        }
    }

    @Test
    void encodingIntoAKQuantIsAClearError() {
        assertThatThrownBy(() -> WeightMatrices.encode(Encoding.Q4_K, new float[256], 1, 256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Q4_K").hasMessageContaining("llama-quantize");
    }

    @Test
    void rowsMustHoldWholeSuperBlocks() {
        assertThatThrownBy(() -> WeightMatrices.wrap(Encoding.Q6_K,
                java.lang.foreign.Arena.ofAuto().allocate(210), 2, 128))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
    }
}
