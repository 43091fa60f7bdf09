package dev.orchard.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BpeModelTest {

    /** The scan loop for short words and the heap loop for long ones apply merges in the same order. */
    @Test
    void smallAndHeapMergeLoopsAgree() {
        Random rnd = new Random(1);
        for (int trial = 0; trial < 200; trial++) {
            int alphabet = 2 + rnd.nextInt(4);
            PairMap merges = new PairMap(64);
            int next = alphabet;
            for (int m = 0; m < 40; m++) {
                int a = rnd.nextInt(next);
                int b = rnd.nextInt(next);
                // Equal ranks happen with SentencePiece scores: draw ranks from a small range.
                if (merges.putIfAbsent(a, b, rnd.nextInt(20), next)) {
                    next++;
                }
            }
            String[] vocab = new String[next];
            Arrays.setAll(vocab, i -> "t" + i);
            BpeModel model = new BpeModel(vocab, merges, true, false, -1, false, false);
            for (int w = 0; w < 50; w++) {
                int n = 2 + rnd.nextInt(60);
                int[] word = new int[n];
                for (int i = 0; i < n; i++) {
                    word[i] = rnd.nextInt(alphabet);
                }
                int[] small = model.mergeSmall(word.clone(), n);
                int[] heap = model.mergeHeap(word.clone(), n);
                assertThat(small).as("word %s", Arrays.toString(word)).containsExactly(heap);
            }
        }
    }
}
