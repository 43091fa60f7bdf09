package dev.orchard.core.generate;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns token bytes into text as they arrive, holding back an incomplete UTF-8 sequence at the end until the next
 * token completes it (a byte-level token may end in the middle of a character).
 */
final class Utf8Stream {

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** Appends bytes and returns the text that is now complete (possibly empty). */
    String push(byte[] bytes) {
        pending.writeBytes(bytes);
        byte[] all = pending.toByteArray();
        int complete = completePrefix(all);
        pending.reset();
        pending.write(all, complete, all.length - complete);
        return new String(all, 0, complete, StandardCharsets.UTF_8);
    }

    /** Whatever is left, invalid sequences replaced by U+FFFD. */
    String flush() {
        String rest = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        return rest;
    }

    /** Length of the longest prefix that does not end inside a (possibly valid) multi-byte sequence. */
    static int completePrefix(byte[] b) {
        int n = b.length;
        // Look back at most 3 bytes for the start of the last sequence.
        for (int back = 1; back <= Math.min(3, n); back++) {
            int lead = b[n - back] & 0xFF;
            if ((lead & 0xC0) == 0x80) {
                continue; // continuation byte: keep looking for the lead
            }
            int need = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }
}
