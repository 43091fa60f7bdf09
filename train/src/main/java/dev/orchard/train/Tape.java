package dev.orchard.train;

import java.util.ArrayList;

/**
 * Records, in forward order, how to push gradients back through each op; {@link #backward(Tensor)} replays them in
 * reverse. Ops compute their forward eagerly and record a closure only when their output requires a gradient.
 * One tape serves one forward/backward pass on one thread.
 */
final class Tape {

    private final ArrayList<Runnable> steps = new ArrayList<>();

    void record(Runnable backward) {
        steps.add(backward);
    }

    int size() {
        return steps.size();
    }

    /** Seeds d(loss)/d(loss) = 1 and runs every recorded step backwards; the tape is empty afterwards. */
    void backward(Tensor loss) {
        if (loss.size() != 1) {
            throw new IllegalArgumentException("backward needs a scalar loss, got " + loss);
        }
        if (!loss.requiresGrad) {
            steps.clear();
            return;
        }
        loss.grad()[0] += 1f;
        for (int i = steps.size() - 1; i >= 0; i--) {
            steps.get(i).run();
            steps.set(i, null); // let activations go as soon as their step has run
        }
        steps.clear();
    }
}
