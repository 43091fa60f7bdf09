package dev.orchard.train;

/**
 * The sequence-level arithmetic of the policy objectives, kept apart from the model so that it can be tested on
 * its own. The whole response is one action: {@code l = log pi(y|x)} is the sum of its tokens' log-probabilities.
 *
 * <ul>
 * <li>reward: {@code R = r(x, y) - beta * (log pi_k(y|x) - log pi_ref(y|x))} with {@code pi_k} the policy that
 *     sampled {@code y};</li>
 * <li>advantage: leave-one-out over the K samples of one prompt, {@code A_i = R_i - mean_{j != i} R_j};</li>
 * <li>MDLOO: maximise {@code E_{pi_k}[rho A] - (1/t) KL(pi_theta || pi_k)}, {@code rho = pi_theta(y) / pi_k(y)},
 *     with the KL estimated from the same samples as {@code E_{pi_k}[rho log rho]}; per sample
 *     {@code J = rho A - (1/t) rho log rho};</li>
 * <li>RLOO with PPO clipping (TRL's RLOOTrainer): {@code J = min(rho A, clip(rho, 1 - eps, 1 + eps) A)}.</li>
 * </ul>
 * The trainers minimise {@code -J} averaged over samples; since {@code J} depends on the parameters only through
 * {@code l}, the gradient is {@code -dJ/dl * dl/dtheta}, and {@link #mdlooSlope} / {@link #ppoSlope} give
 * {@code dJ/dl}.
 */
final class PolicyMath {

    private PolicyMath() {
    }

    /** {@code A_i = R_i - mean_{j != i} R_j}; needs at least two samples. */
    static double[] leaveOneOut(double[] rewards) {
        int k = rewards.length;
        if (k < 2) {
            throw new IllegalArgumentException("the leave-one-out advantage needs at least 2 samples per prompt, got " + k);
        }
        double sum = 0;
        for (double r : rewards) {
            sum += r;
        }
        double[] a = new double[k];
        for (int i = 0; i < k; i++) {
            a[i] = rewards[i] - (sum - rewards[i]) / (k - 1);
        }
        return a;
    }

    /** {@code R = r - beta * (logPolicy - logReference)}. */
    static double klPenalisedReward(double reward, double logPolicy, double logReference, double beta) {
        return reward - beta * (logPolicy - logReference);
    }

    /** The MDLOO per-sample objective {@code rho A - (1/t) rho log rho} at {@code l - lOld = logRatio}. */
    static double mdlooObjective(double logRatio, double advantage, double t) {
        double rho = Math.exp(logRatio);
        return rho * advantage - rho * logRatio / t;
    }

    /** {@code d/dl [rho A - (1/t) rho log rho] = rho A - (1/t) rho (log rho + 1)}. */
    static double mdlooSlope(double logRatio, double advantage, double t) {
        double rho = Math.exp(logRatio);
        return rho * advantage - rho * (logRatio + 1) / t;
    }

    /** PPO's clipped surrogate {@code min(rho A, clip(rho, 1 - eps, 1 + eps) A)}. */
    static double ppoObjective(double logRatio, double advantage, double eps) {
        double rho = Math.exp(logRatio);
        double clipped = Math.max(1 - eps, Math.min(1 + eps, rho));
        return Math.min(rho * advantage, clipped * advantage);
    }

    /** Its slope in {@code l}: {@code rho A} where the unclipped term is the minimum, else 0. */
    static double ppoSlope(double logRatio, double advantage, double eps) {
        double rho = Math.exp(logRatio);
        double clipped = Math.max(1 - eps, Math.min(1 + eps, rho));
        return rho * advantage <= clipped * advantage ? rho * advantage : 0;
    }

    /**
     * {@code KL(pi_theta || pi_k)} estimated from samples of {@code pi_k}: the mean of {@code rho log rho}
     * (importance-weighted {@code log(pi_theta / pi_k)}); unbiased, zero when the policies agree.
     */
    static double klFromBehaviourSamples(double[] logRatios) {
        double s = 0;
        for (double lr : logRatios) {
            s += Math.exp(lr) * lr;
        }
        return s / logRatios.length;
    }

    /** {@code KL(pi || q)} from samples of {@code pi} itself: the mean of {@code log pi - log q}. */
    static double klFromOwnSamples(double[] logPolicy, double[] logOther) {
        double s = 0;
        for (int i = 0; i < logPolicy.length; i++) {
            s += logPolicy[i] - logOther[i];
        }
        return s / logPolicy.length;
    }
}
