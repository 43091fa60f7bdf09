package dev.orchard.train;

/**
 * Linear warmup to the peak learning rate, then cosine decay to {@code min} at {@code totalSteps}
 * (llama2.c's schedule). Steps count from 0.
 */
record LrSchedule(double peak, double min, int warmupSteps, int totalSteps) {

    LrSchedule {
        if (!(peak > 0) || min < 0 || min > peak) {
            throw new IllegalArgumentException("learning rate needs 0 <= min (" + min + ") <= peak (" + peak + "), peak > 0");
        }
        if (warmupSteps < 0 || totalSteps <= 0) {
            throw new IllegalArgumentException("warmup must be >= 0 and total steps > 0");
        }
    }

    double at(int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        if (step >= totalSteps || totalSteps == warmupSteps) {
            return min;
        }
        double ratio = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return min + 0.5 * (1 + Math.cos(Math.PI * ratio)) * (peak - min);
    }
}
