package dev.orchard.eval.ifeval;

import java.util.ArrayList;
import java.util.List;

/** The {@code combination:*} instructions. */
final class CombinationInstructions {

    private CombinationInstructions() {
    }

    /**
     * {@code combination:two_responses}: exactly two different non-blank responses separated by {@code ******};
     * a blank piece is allowed only at either end.
     */
    record TwoResponses() implements Instruction {
        @Override
        public boolean check(String response) {
            List<String> valid = new ArrayList<>();
            List<String> pieces = PyText.split(response, "******");
            for (int i = 0; i < pieces.size(); i++) {
                String piece = pieces.get(i);
                if (PyText.strip(piece).isEmpty()) {
                    if (i != 0 && i != pieces.size() - 1) {
                        return false;
                    }
                } else {
                    valid.add(piece);
                }
            }
            return valid.size() == 2 && !PyText.strip(valid.get(0)).equals(PyText.strip(valid.get(1)));
        }
    }

    /** {@code combination:repeat_prompt}: the response starts with the request, ignoring case and outer space. */
    record RepeatPrompt(String prompt) implements Instruction {
        @Override
        public boolean check(String response) {
            return PyText.lower(PyText.strip(response)).startsWith(PyText.lower(PyText.strip(prompt)));
        }
    }
}
