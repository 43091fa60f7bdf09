package dev.orchard.train;

/** What a training run reports as it goes (the CLI draws a progress bar from it). All methods default to nothing. */
public interface TrainingListener {

    /**
     * After each optimizer step.
     *
     * @param step         steps done so far (1-based)
     * @param totalSteps   steps the run will do
     * @param loss         training cross-entropy of this step, nats per token
     * @param tokensPerSecond tokens processed per second over this session (resumed runs start counting afresh)
     * @param etaSeconds   estimated seconds to the last step
     */
    record Step(int step, int totalSteps, double loss, double lr, double tokensPerSecond, double etaSeconds,
                long tokens) {
    }

    default void onStep(Step step) {
    }

    /** After each held-out evaluation. */
    default void onEval(int step, Evaluation eval) {
    }

    /** A line of information (data preparation, checkpoints, resume). */
    default void onMessage(String message) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
