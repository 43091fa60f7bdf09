package dev.orchard.eval.grade;

/**
 * One response to grade.
 *
 * @param id       a stable identifier (line number when the file has none)
 * @param prompt   the instruction the model was given
 * @param response what it answered
 * @param source   the document the response should summarize or stay grounded in; null when there is none
 */
public record GradeItem(String id, String prompt, String response, String source) {
}
