package dev.orchard.data;

import java.io.Serializable;

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
 */
public record Doc(String id, String source, String url, String title, String contentType, String text,
                  String language, double quality) implements Serializable {

    public static final String HTML = "text/html";
    public static final String PLAIN = "text/plain";

    public static Doc plain(String id, String source, String text) {
        return new Doc(id, source, null, null, PLAIN, text, null, Double.NaN);
    }

    public Doc withText(String newText) {
        return new Doc(id, source, url, title, contentType, newText, language, quality);
    }

    public Doc withExtracted(String newTitle, String newText) {
        return new Doc(id, source, url, newTitle, PLAIN, newText, language, quality);
    }

    public Doc withLanguage(String lang) {
        return new Doc(id, source, url, title, contentType, text, lang, quality);
    }

    public Doc withQuality(double q) {
        return new Doc(id, source, url, title, contentType, text, language, q);
    }

    public boolean isHtml() {
        return HTML.equals(contentType);
    }
}
