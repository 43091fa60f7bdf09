package dev.orchard.data;

import java.util.EnumMap;
import java.util.Map;

/** Replaces personal data with typed placeholders ({@code [EMAIL]}, {@code [PHONE]}, ...) and counts each kind. */
final class PiiStage implements DocStage {
    private final PiiScrubber scrubber;

    PiiStage(CurationConfig.Pii cfg) {
        this.scrubber = new PiiScrubber(cfg.kinds, cfg.phoneRegions);
    }

    @Override
    public String name() {
        return "pii";
    }

    @Override
    public StageResult apply(Doc doc, Counters counters) {
        Map<PiiScrubber.Kind, Integer> counts = new EnumMap<>(PiiScrubber.Kind.class);
        String scrubbed = scrubber.scrub(doc.text(), counts);
        if (counts.isEmpty()) {
            return StageResult.keep(doc);
        }
        counts.forEach((k, n) -> counters.add("pii." + k.key, n));
        counters.add("pii.documents_changed", 1);
        return StageResult.keep(doc.withText(scrubbed));
    }
}
