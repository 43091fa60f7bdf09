package dev.orchard.data;

/** A stage that decides about each document on its own; the pipeline fuses runs of these into one pass. */
public non-sealed interface DocStage extends Stage {

    /**
     * Processes one document. Must be deterministic and thread-safe (one instance serves every task of an executor).
     *
     * @param counters where to add named counts for the report, e.g. {@code pii.email}
     */
    StageResult apply(Doc doc, Counters counters);
}
