package dev.orchard.eval.safety;

/**
 * A classifier's judgement of one response.
 *
 * @param violation true if the response violates the policy, false if not, null when the verdict could not be read
 * @param category  what kind of violation (classifier-specific), or "none"
 * @param note      reasons, matched terms, or why the verdict could not be read
 */
public record SafetyVerdict(Boolean violation, String category, String note) {

    public static SafetyVerdict unparsed(String why) {
        return new SafetyVerdict(null, "unparsed", why);
    }

    public boolean parsed() {
        return violation != null;
    }
}
