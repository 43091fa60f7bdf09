package dev.orchard.train;

import java.util.List;

/**
 * One optimizer step of any {@link DataParallel.Objective}, the loop body every trainer shares (pre-training,
 * SFT, the reward model, rejection-sampling SFT and the policy objectives): clear the gradients, run forward and
 * backward over each micro-batch, sum the workers' gradients in a fixed order, clip to a global norm and apply
 * AdamW at the step's learning rate.
 */
final class TrainStep {

    /** The step's summed statistics and the gradient norm before clipping. */
    record Result(DataParallel.Stats stats, double gradNorm) {
    }

    private TrainStep() {
    }

    static <E> Result run(DataParallel dp, AdamW adam, List<List<E>> microBatches, DataParallel.Objective<E> objective,
                          double lr, double gradClip) {
        dp.zero();
        DataParallel.Stats stats = new DataParallel.Stats(0, 0, 0);
        for (List<E> batch : microBatches) {
            stats = stats.plus(dp.run(batch, objective));
        }
        Grads g = dp.gradients();
        double norm = AdamW.clip(g, gradClip);
        adam.update(g, lr);
        return new Result(stats, norm);
    }
}
