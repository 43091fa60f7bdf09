package dev.orchard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.orchard.core.tokenizer.BpeTokenizer;
import java.nio.file.Files;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Orchard's BPE on cl100k_base gives jtokkit's ids (an independent tiktoken port) and decodes back. */
class Cl100kAgreementTest {

    private static BpeTokenizer orchard;
    private static Encoding jtokkit;

    @BeforeAll
    static void load() throws Exception {
        orchard = Cl100k.load();
        jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    }

    private static void agree(String text) {
        int[] ours = orchard.encode(text, false, false);
        assertThat(ours).as("ids of %s", text).containsExactly(jtokkit.encodeOrdinary(text).toArray());
        assertThat(orchard.decode(ours)).isEqualTo(text);
    }

    @Test
    void handPickedTexts() {
        agree("Hello, world! I'VE been there; they'll see 1234567 apples.\n\n\tdef f(x):\n    return x**2  # 😀");
        agree("нещо на Български, 日本語のテキスト, عربى, हिन्दी, ﬁ ligature, e\u0301, 🇺🇸👩‍👩‍👧");
        agree("   leading and trailing   \r\n\r\n");
    }

    @Test
    void randomText() {
        Random rnd = new Random(17);
        String[] parts = {"the", " cat", "'s", "'LL", " 123", "4567", "\n", "\n\n", "  ", "\t", "!?", "...", "é",
            "ß", "中文", "🙂", "\u00A0", "\u3000", "x", " ", "CamelCase", "snake_case", "-->", "\r\n"};
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(20);
            for (int k = 0; k < n; k++) {
                sb.append(parts[rnd.nextInt(parts.length)]);
            }
            agree(sb.toString());
        }
    }

    @Test
    void wikitextTest() throws Exception {
        var file = BenchText.dataDir().resolve("wikitext-2-raw/wiki.test.raw");
        Assumptions.assumeTrue(Files.exists(file) || Files.exists(java.nio.file.Path.of(
                System.getProperty("orchard.repo", ".")).resolve("../shared/data/wikitext-2-raw/wiki.test.raw")),
                "shared data not present");
        if (!Files.exists(file)) {
            System.setProperty("orchard.data", java.nio.file.Path.of(System.getProperty("orchard.repo"))
                    .resolve("../shared/data").toString());
        }
        String text = BenchText.load("wikitext");
        int[] ours = orchard.encode(text, false, false);
        assertThat(ours).containsExactly(jtokkit.encodeOrdinary(text).toArray());
    }
}
