package dev.orchard.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
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
     * The active session if there is one; otherwise a new one on {@code master}, or when that is null on the master
     * spark-submit gave (the {@code spark.master} system property), else {@code local[*]}.
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
        SparkSession.Builder b = SparkSession.builder();
        settings(master, System.getProperties()).forEach(b::config);
        return b.getOrCreate();
    }

    /**
     * What the session builder sets: an explicit {@code master}, then Orchard's defaults, each only where the launcher
     * did not set it already. spark-submit hands its {@code --master}, {@code --name} and {@code --conf} values to the
     * driver as {@code spark.*} system properties, which Spark reads by itself; setting them again here would override
     * the user's choice (a cluster run forced into local mode, a UI they asked for switched off).
     */
    static Map<String, String> settings(String master, Properties launcher) {
        String effective = master != null ? master : launcher.getProperty("spark.master", "local[*]");
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("spark.master", effective);
        defaults.put("spark.app.name", "orchard-curate");
        defaults.put("spark.ui.showConsoleProgress", "false"); // Orchard draws its own progress line
        if (effective.startsWith("local")) {
            // one machine: no UI port to open, and no dependence on the host name resolving
            defaults.put("spark.ui.enabled", "false");
            defaults.put("spark.driver.host", "localhost");
            defaults.put("spark.driver.bindAddress", "127.0.0.1");
        }
        Map<String, String> out = new LinkedHashMap<>();
        defaults.forEach((k, v) -> {
            if (launcher.getProperty(k) == null) {
                out.put(k, v);
            }
        });
        if (master != null) {
            out.put("spark.master", master); // --master given to orchard itself wins
        }
        return out;
    }
}
