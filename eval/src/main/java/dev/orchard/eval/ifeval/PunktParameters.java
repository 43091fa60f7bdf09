package dev.orchard.eval.ifeval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A trained Punkt model: known abbreviations, collocations, frequent sentence starters and the orthographic
 * contexts (bit flags) in which word types were seen. {@link #english()} is NLTK's English model.
 */
record PunktParameters(Set<String> abbrevTypes, Set<String> collocations, Set<String> sentStarters,
                       Map<String, Integer> orthoContext) {

    static final int ORTHO_BEG_UC = 1 << 1;
    static final int ORTHO_MID_UC = 1 << 2;
    static final int ORTHO_UNK_UC = 1 << 3;
    static final int ORTHO_BEG_LC = 1 << 4;
    static final int ORTHO_MID_LC = 1 << 5;
    static final int ORTHO_UNK_LC = 1 << 6;
    static final int ORTHO_UC = ORTHO_BEG_UC | ORTHO_MID_UC | ORTHO_UNK_UC;
    static final int ORTHO_LC = ORTHO_BEG_LC | ORTHO_MID_LC | ORTHO_UNK_LC;

    private static final String RESOURCE = "punkt-english.txt";
    private static volatile PunktParameters english;

    boolean isCollocation(String first, String second) {
        return collocations.contains(first + "\t" + second);
    }

    int ortho(String type) {
        return orthoContext.getOrDefault(type, 0);
    }

    static PunktParameters english() {
        PunktParameters p = english;
        if (p == null) {
            synchronized (PunktParameters.class) {
                p = english;
                if (p == null) {
                    english = p = load();
                }
            }
        }
        return p;
    }

    private static PunktParameters load() {
        Set<String> abbrevs = new HashSet<>();
        Set<String> collocations = new HashSet<>();
        Set<String> starters = new HashSet<>();
        Map<String, Integer> ortho = new HashMap<>();
        try (InputStream in = PunktParameters.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String section = "";
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("[") && line.endsWith("]")) {
                    section = line.substring(1, line.length() - 1);
                    continue;
                }
                switch (section) {
                    case "abbrev_types" -> abbrevs.add(line);
                    case "collocations" -> collocations.add(line);
                    case "sent_starters" -> starters.add(line);
                    case "ortho_context" -> {
                        int tab = line.lastIndexOf('\t');
                        ortho.put(line.substring(0, tab), Integer.parseInt(line.substring(tab + 1)));
                    }
                    default -> throw new IllegalStateException("bad section in " + RESOURCE + ": " + section);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PunktParameters(Set.copyOf(abbrevs), Set.copyOf(collocations), Set.copyOf(starters),
                Map.copyOf(ortho));
    }
}
