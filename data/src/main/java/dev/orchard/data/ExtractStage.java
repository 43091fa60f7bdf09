package dev.orchard.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns HTML documents into their main text; plain-text documents pass untouched. With {@code method: article}
 * (the default, {@link ArticleExtractor}) the page's own title, canonical URL, publication date and declared
 * language are kept too: title and URL fill the document's own fields when the input had none, and the date and
 * language travel as the extra fields {@code published} and {@code page_language} (an input field of that name wins).
 */
final class ExtractStage implements DocStage {
    private final String method;

    ExtractStage(CurationConfig.Extract cfg) {
        this.method = cfg.method;
    }

    @Override
    public String name() {
        return "extract";
    }

    @Override
    public StageResult apply(Doc doc, Counters counters) {
        if (!doc.isHtml()) {
            return StageResult.keep(doc);
        }
        counters.add("extract.html_documents", 1);
        if (!method.equals("article")) {
            HtmlExtractor.Result r = HtmlExtractor.extract(doc.text(), method.equals("boilerplate"));
            if (r.text().isBlank()) {
                return StageResult.reject("no_main_text");
            }
            return StageResult.keep(doc.withExtracted(doc.title() != null ? doc.title() : r.title(), doc.url(),
                    r.text(), doc.meta()));
        }
        ArticleExtractor.Article a = ArticleExtractor.extract(doc.text());
        if (a.text().isBlank()) {
            return StageResult.reject("no_main_text");
        }
        counters.add("extract.method." + a.method(), 1);
        String meta = doc.meta();
        if (a.published() != null || a.language() != null) {
            Map<String, String> fields = meta == null ? new LinkedHashMap<>() : ExtraFields.fields(meta);
            if (a.published() != null) {
                fields.putIfAbsent("published", ExtraFields.quote(a.published()));
                counters.add("extract.published", 1);
            }
            if (a.language() != null) {
                fields.putIfAbsent("page_language", ExtraFields.quote(a.language()));
            }
            meta = ExtraFields.text(fields);
        }
        return StageResult.keep(doc.withExtracted(doc.title() != null ? doc.title() : a.title(),
                doc.url() != null ? doc.url() : a.url(), a.text(), meta));
    }
}
