package dev.orchard.data;

/** What a per-document stage decided: keep the (possibly rewritten) document, or reject it with a reason. */
public record StageResult(Doc doc, String reason) {

    public static StageResult keep(Doc doc) {
        return new StageResult(doc, null);
    }

    /** @param reason a short snake_case code; the report shows it as {@code <stage>:<reason>} */
    public static StageResult reject(String reason) {
        return new StageResult(null, reason);
    }

    public boolean kept() {
        return reason == null;
    }
}
