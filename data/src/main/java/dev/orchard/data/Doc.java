package dev.orchard.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One document flowing through the curation pipeline.
 *
 * @param id          stable identifier, {@code <source>:<record index>}; unique within a run and the same on every run
 * @param source      the input file it came from, relative to the input root given by the user
 * @param url         the page URL when known (WARC, JSONL {@code url} field), else null
 * @param title       the page title when known, else null
 * @param contentType {@code text/html} before extraction, {@code text/plain} after
 * @param text        the content
 * @param language    ISO 639-1 code set by language identification, else null
 * @param quality     the quality classifier's probability that the document is good, or NaN when not scored
 * @param flags       marks stages put on a document they kept (e.g. {@code profanity}), in the order added; never null
 * @param meta        the input record's fields Orchard does not read, as a JSON object text ({@link ExtraFields}),
 *                    or null when there are none
 */
public record Doc(String id, String source, String url, String title, String contentType, String text,
                  String language, double quality, List<String> flags, String meta) implements Serializable {

    public static final String HTML = "text/html";
    public static final String PLAIN = "text/plain";

    public Doc {
        flags = flags == null ? List.of() : List.copyOf(flags); // copyOf of an immutable list is the list itself
    }

    /** A document as a reader produces it: nothing judged yet. */
    public static Doc read(String id, String source, String url, String title, String contentType, String text,
                           String meta) {
        return new Doc(id, source, url, title, contentType, text, null, Double.NaN, List.of(), meta);
    }

    public static Doc plain(String id, String source, String text) {
        return read(id, source, null, null, PLAIN, text, null);
    }

    public Doc withText(String newText) {
        return new Doc(id, source, url, title, contentType, newText, language, quality, flags, meta);
    }

    /** The document after main-text extraction: plain text, with the title, URL and extra fields the page gave. */
    public Doc withExtracted(String newTitle, String newUrl, String newText, String newMeta) {
        return new Doc(id, source, newUrl, newTitle, PLAIN, newText, language, quality, flags, newMeta);
    }

    public Doc withLanguage(String lang) {
        return new Doc(id, source, url, title, contentType, text, lang, quality, flags, meta);
    }

    public Doc withQuality(double q) {
        return new Doc(id, source, url, title, contentType, text, language, q, flags, meta);
    }

    /** The document with {@code flag} added to its flags (once: adding it again changes nothing). */
    public Doc withFlag(String flag) {
        if (flags.contains(flag)) {
            return this;
        }
        List<String> more = new ArrayList<>(flags);
        more.add(flag);
        return new Doc(id, source, url, title, contentType, text, language, quality, more, meta);
    }

    public boolean isHtml() {
        return HTML.equals(contentType);
    }
}
