package dev.orchard.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The article extractor against the development set, beside the density classifier and all visible text. */
class ExtractionDevSetTest {

    static Map<String, Map<String, ExtractionScore[]>> compare(List<ExtractionDevSet.Page> pages) {
        Map<String, Map<String, ExtractionScore[]>> m = new LinkedHashMap<>();
        m.put("all_text", ExtractionDevSet.score(pages, h -> HtmlExtractor.extract(h, false).text()));
        m.put("boilerplate", ExtractionDevSet.score(pages, h -> HtmlExtractor.extract(h, true).text()));
        m.put("article", ExtractionDevSet.score(pages, h -> ArticleExtractor.extract(h).text()));
        return m;
    }

    @Test
    void devSet() throws IOException {
        List<ExtractionDevSet.Page> pages = new ArrayList<>(ExtractionDevSet.ownPages());
        pages.addAll(ExtractionDevSet.cleanEval("dev"));
        Map<String, Map<String, ExtractionScore[]>> m = compare(pages);
        System.out.println(ExtractionDevSet.table(m));
        // the article extractor beats the density classifier it replaces on every page type, CleanEval included
        for (String type : m.get("article").keySet()) {
            assertThat(m.get("article").get(type)[0].f1()).as(type)
                    .isGreaterThanOrEqualTo(m.get("boilerplate").get(type)[0].f1());
        }
        for (String type : new String[] {"news", "blog", "docs"}) {
            assertThat(m.get("article").get(type)[0].precision()).as(type).isGreaterThan(0.94);
        }
        assertThat(m.get("article").get("all")[0].f1()).isGreaterThan(0.9);
    }
}
