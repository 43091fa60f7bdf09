package dev.orchard.data;

/** Turns HTML documents into their main text (title kept); plain-text documents pass untouched. */
final class ExtractStage implements DocStage {
    private final boolean classify;

    ExtractStage(CurationConfig.Extract cfg) {
        this.classify = cfg.method.equals("boilerplate");
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
        HtmlExtractor.Result r = HtmlExtractor.extract(doc.text(), classify);
        if (r.text().isBlank()) {
            return StageResult.reject("no_main_text");
        }
        counters.add("extract.html_documents", 1);
        return StageResult.keep(doc.withExtracted(doc.title() != null ? doc.title() : r.title(), r.text()));
    }
}
