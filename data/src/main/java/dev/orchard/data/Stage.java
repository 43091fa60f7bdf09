package dev.orchard.data;

import java.io.Serializable;

/** A pipeline stage. Stages are serializable: Spark ships them to executors. */
public sealed interface Stage extends Serializable permits DocStage, CorpusStage {
    /** The name used in configs and reports, e.g. {@code gopher_quality}. */
    String name();
}
