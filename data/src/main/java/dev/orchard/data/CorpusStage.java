package dev.orchard.data;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * A stage that needs the whole corpus at once (deduplication, decontamination). It has a Spark implementation and a
 * plain single-threaded one; both must keep exactly the same documents, which the tests check.
 */
non-sealed interface CorpusStage extends Stage {

    /** Returns the live documents it keeps, and the ones it rejects marked with {@link Tracked#reject}. */
    JavaRDD<Tracked> apply(JavaRDD<Tracked> live, int stageIndex);

    /** The same decision over an in-memory list, in one thread. */
    List<Tracked> applyLocal(List<Tracked> live, int stageIndex);
}
