package dev.orchard.eval.ifeval;

/**
 * One verifiable instruction of IFEval, configured from the prompt's arguments. Each implementation follows the
 * {@code check_following} of the same class in Google's reference ({@code instructions.py}) to the letter.
 */
@FunctionalInterface
interface Instruction {

    /** Whether the response follows the instruction. */
    boolean check(String response);
}
