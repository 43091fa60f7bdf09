package dev.orchard.data;

import org.apache.spark.sql.SparkSession;

/** Starts or finds the Spark session, with quiet logs and local-mode settings that need no network. */
public final class Sparks {
    private Sparks() {
    }

    /** Spark's own INFO logging drowns the progress line; route it through our config (warnings only). */
    static void quietLogs() {
        if (System.getProperty("log4j2.configurationFile") == null
                && Sparks.class.getResource("/log4j2-test.properties") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:dev/orchard/data/log4j2-orchard.properties");
        }
    }

    /**
     * The active session if there is one (spark-submit); otherwise a new one on {@code master}, {@code local[*]}
     * when null.
     */
    public static SparkSession session(String master) {
        quietLogs();
        if (master == null) {
            var active = SparkSession.getActiveSession();
            if (active.isDefined()) {
                return active.get();
            }
            var dflt = SparkSession.getDefaultSession();
            if (dflt.isDefined()) {
                return dflt.get();
            }
        }
        String m = master != null ? master : System.getProperty("spark.master", "local[*]");
        SparkSession.Builder b = SparkSession.builder().appName("orchard-curate").master(m)
                .config("spark.ui.showConsoleProgress", "false");
        if (m.startsWith("local")) {
            b.config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "localhost")
                    .config("spark.driver.bindAddress", "127.0.0.1");
        }
        return b.getOrCreate();
    }
}
