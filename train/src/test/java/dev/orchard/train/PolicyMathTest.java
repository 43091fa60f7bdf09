package dev.orchard.train;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PolicyMathTest {

    @Test
    void leaveOneOutSubtractsTheOtherSamplesMean() {
        double[] a = PolicyMath.leaveOneOut(new double[] {1, 2, 3, 6});
        // mean of the others: (2+3+6)/3, (1+3+6)/3, (1+2+6)/3, (1+2+3)/3
        assertThat(a[0]).isCloseTo(1 - 11.0 / 3, within(1e-12));
        assertThat(a[1]).isCloseTo(2 - 10.0 / 3, within(1e-12));
        assertThat(a[2]).isCloseTo(3 - 3.0, within(1e-12));
        assertThat(a[3]).isCloseTo(6 - 2.0, within(1e-12));
        // equal rewards carry no signal; the advantages are K/(K-1) times the deviations from the mean and sum to 0
        assertThat(PolicyMath.leaveOneOut(new double[] {5, 5, 5})).containsOnly(0.0);
        assertThat(a[0] + a[1] + a[2] + a[3]).isCloseTo(0, within(1e-12));
        assertThatThrownBy(() -> PolicyMath.leaveOneOut(new double[] {1})).hasMessageContaining("at least 2");
    }

    @Test
    void klPenaltyAndSlopesMatchFiniteDifferences() {
        assertThat(PolicyMath.klPenalisedReward(1.0, -10, -12, 0.1)).isCloseTo(0.8, within(1e-12));
        double h = 1e-6;
        for (double lr : new double[] {-0.7, -0.1, 0, 0.05, 0.4}) {
            for (double adv : new double[] {-1.3, 0.2, 2.0}) {
                double fd = (PolicyMath.mdlooObjective(lr + h, adv, 3) - PolicyMath.mdlooObjective(lr - h, adv, 3)) / (2 * h);
                assertThat(PolicyMath.mdlooSlope(lr, adv, 3)).isCloseTo(fd, within(1e-6));
                double fp = (PolicyMath.ppoObjective(lr + h, adv, 0.2) - PolicyMath.ppoObjective(lr - h, adv, 0.2)) / (2 * h);
                assertThat(PolicyMath.ppoSlope(lr, adv, 0.2)).isCloseTo(fp, within(1e-6));
            }
        }
        // clipped: beyond 1 + eps a positive advantage stops pulling, below 1 - eps a negative one
        assertThat(PolicyMath.ppoSlope(Math.log(1.5), 1.0, 0.2)).isZero();
        assertThat(PolicyMath.ppoSlope(Math.log(0.5), -1.0, 0.2)).isZero();
    }

    @Test
    void klEstimatesConvergeToTheExactDivergence() {
        double[] p = {0.5, 0.3, 0.2}; // pi_k, the sampling policy
        double[] q = {0.2, 0.5, 0.3}; // pi_theta
        double exact = 0;
        double exactPq = 0;
        for (int i = 0; i < 3; i++) {
            exact += q[i] * Math.log(q[i] / p[i]);
            exactPq += p[i] * Math.log(p[i] / q[i]);
        }
        SplittableRandom rng = new SplittableRandom(7);
        int n = 400_000;
        double[] logRatios = new double[n];
        double[] lp = new double[n];
        double[] lq = new double[n];
        for (int s = 0; s < n; s++) {
            double u = rng.nextDouble();
            int i = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
            logRatios[s] = Math.log(q[i] / p[i]);
            lp[s] = Math.log(p[i]);
            lq[s] = Math.log(q[i]);
        }
        assertThat(PolicyMath.klFromBehaviourSamples(logRatios)).isCloseTo(exact, within(0.005));
        assertThat(PolicyMath.klFromOwnSamples(lp, lq)).isCloseTo(exactPq, within(0.005));
        assertThat(PolicyMath.klFromBehaviourSamples(new double[] {0, 0, 0})).isZero();
    }

    /**
     * The mirror-descent step on a bandit: with pi_theta = softmax(theta) over arms, maximising
     * E_{pi_k}[rho A] - (1/t) KL(pi_theta || pi_k) has the closed-form optimum pi*(a) ∝ pi_k(a) exp(t A(a)). Running
     * gradient steps on the per-sample objective (through {@link PolicyMath#mdlooSlope}, with the expectation
     * over pi_k taken exactly) must reach it.
     */
    @Test
    void mirrorDescentStepReachesTheKlRegularisedOptimumOnABandit() {
        double[] piK = {0.4, 0.3, 0.2, 0.1};
        double[] adv = {-0.5, 1.0, 0.3, 2.0};
        double t = 0.8;
        double[] theta = new double[4];
        for (int a = 0; a < 4; a++) {
            theta[a] = Math.log(piK[a]); // start at pi_k, as each MDLOO iteration does
        }
        for (int step = 0; step < 20_000; step++) {
            double[] pi = softmax(theta);
            double[] dl = new double[4]; // d objective / d log pi(a), weighted by how often pi_k samples a
            for (int a = 0; a < 4; a++) {
                dl[a] = piK[a] * PolicyMath.mdlooSlope(Math.log(pi[a] / piK[a]), adv[a], t);
            }
            double total = dl[0] + dl[1] + dl[2] + dl[3];
            for (int a = 0; a < 4; a++) {
                theta[a] += 0.5 * (dl[a] - pi[a] * total); // d log pi(b) / d theta_a = [a == b] - pi(a)
            }
        }
        double[] pi = softmax(theta);
        double z = 0;
        double[] star = new double[4];
        for (int a = 0; a < 4; a++) {
            star[a] = piK[a] * Math.exp(t * adv[a]);
            z += star[a];
        }
        for (int a = 0; a < 4; a++) {
            assertThat(pi[a]).as("arm " + a).isCloseTo(star[a] / z, within(1e-6));
        }
    }

    /**
     * Iterating MDLOO with the KL-penalised reward R = r - beta log(pi/pi_ref) drives the policy to the RLHF
     * optimum pi_ref exp(r / beta) / Z (with exact expectations, the leave-one-out baseline is a constant shift).
     */
    @Test
    void iteratedMirrorDescentReachesTheRlhfOptimum() {
        double[] ref = {0.25, 0.25, 0.25, 0.25};
        double[] r = {0.0, 1.0, 0.5, -0.5};
        double beta = 0.5;
        double t = 1.0;
        double[] theta = new double[4];
        for (int iter = 0; iter < 200; iter++) {
            double[] piK = softmax(theta);
            double[] reward = new double[4];
            double mean = 0;
            for (int a = 0; a < 4; a++) {
                reward[a] = PolicyMath.klPenalisedReward(r[a], Math.log(piK[a]), Math.log(ref[a]), beta);
                mean += piK[a] * reward[a];
            }
            double[] adv = new double[4];
            for (int a = 0; a < 4; a++) {
                adv[a] = reward[a] - mean;
            }
            for (int step = 0; step < 300; step++) {
                double[] pi = softmax(theta);
                double[] dl = new double[4];
                double total = 0;
                for (int a = 0; a < 4; a++) {
                    dl[a] = piK[a] * PolicyMath.mdlooSlope(Math.log(pi[a] / piK[a]), adv[a], t);
                    total += dl[a];
                }
                for (int a = 0; a < 4; a++) {
                    theta[a] += 0.5 * (dl[a] - pi[a] * total);
                }
            }
        }
        double[] pi = softmax(theta);
        double z = 0;
        for (int a = 0; a < 4; a++) {
            z += ref[a] * Math.exp(r[a] / beta);
        }
        for (int a = 0; a < 4; a++) {
            assertThat(pi[a]).as("arm " + a).isCloseTo(ref[a] * Math.exp(r[a] / beta) / z, within(1e-4));
        }
    }

    private static double[] softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double s = 0;
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = Math.exp(x[i] - max);
            s += p[i];
        }
        for (int i = 0; i < x.length; i++) {
            p[i] /= s;
        }
        return p;
    }
}
