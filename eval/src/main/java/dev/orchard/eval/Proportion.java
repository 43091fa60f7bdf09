package dev.orchard.eval;

/**
 * A count of successes out of a total, with its rate and a 95% Wilson score interval. Wilson rather than the
 * normal approximation because eval sets are small and rates sit near 0 or 1, where the normal interval leaves
 * [0, 1] and undercovers.
 *
 * @param successes how many succeeded
 * @param total     how many were tried
 * @param rate      successes / total (0 when total is 0)
 * @param lower     lower end of the 95% interval
 * @param upper     upper end of the 95% interval
 */
public record Proportion(int successes, int total, double rate, double lower, double upper) {

    /** z for a two-sided 95% interval. */
    private static final double Z = 1.959963984540054;

    public static Proportion of(int successes, int total) {
        if (total < 0 || successes < 0 || successes > total) {
            throw new IllegalArgumentException("need 0 <= successes <= total, got " + successes + "/" + total);
        }
        if (total == 0) {
            return new Proportion(0, 0, 0, 0, 1);
        }
        double n = total;
        double p = successes / n;
        double z2 = Z * Z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return new Proportion(successes, total, p, Math.max(0, centre - half), Math.min(1, centre + half));
    }
}
