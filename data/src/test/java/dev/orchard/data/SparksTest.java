package dev.orchard.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The session settings: local mode by default, and what spark-submit set is left alone. */
class SparksTest {

    static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void plainJvmRunsLocally() {
        assertThat(Sparks.settings(null, props())).containsEntry("spark.master", "local[*]")
                .containsEntry("spark.app.name", "orchard-curate").containsEntry("spark.ui.enabled", "false")
                .containsEntry("spark.driver.host", "localhost");
    }

    @Test
    void theMasterAndConfOfSparkSubmitAreKept() {
        Map<String, String> cluster = Sparks.settings(null, props("spark.master", "spark://head:7077",
                "spark.app.name", "nightly"));
        assertThat(cluster).doesNotContainKeys("spark.master", "spark.app.name", "spark.ui.enabled",
                "spark.driver.host");
        assertThat(cluster).containsEntry("spark.ui.showConsoleProgress", "false");

        Map<String, String> local = Sparks.settings(null, props("spark.master", "local[2]", "spark.ui.enabled", "true"));
        assertThat(local).doesNotContainKeys("spark.master", "spark.ui.enabled")
                .containsEntry("spark.driver.host", "localhost");
    }

    @Test
    void anExplicitMasterWins() {
        assertThat(Sparks.settings("local[3]", props("spark.master", "yarn"))).containsEntry("spark.master", "local[3]")
                .containsEntry("spark.driver.bindAddress", "127.0.0.1");
        assertThat(Sparks.settings("spark://head:7077", props())).containsEntry("spark.master", "spark://head:7077")
                .doesNotContainKey("spark.driver.host");
    }
}
