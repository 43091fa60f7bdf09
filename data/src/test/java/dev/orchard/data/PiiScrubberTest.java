package dev.orchard.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Precision and recall of the PII detectors on a generated, labelled set with look-alike non-PII numbers. */
class PiiScrubberTest {
    private final PiiScrubber pii = PiiScrubber.defaults();

    /** One sentence with one embedded item; kind null for look-alikes that are not PII. */
    record Sample(String text, int start, int end, PiiScrubber.Kind kind) {
    }

    private static final List<String> FRAMES = List.of("Please send it to %s before Friday.",
            "The record shows %s in the second column.", "%s was written on the back of the form.",
            "We noted: %s, and then moved on.", "Reference (%s) appears twice in the file.");
    private static final int[] AREA_CODES = {212, 415, 617, 312, 206, 303, 404, 512, 702, 818, 646, 213, 305};

    static Sample frame(SplittableRandom r, String item, PiiScrubber.Kind kind) {
        String f = FRAMES.get(r.nextInt(FRAMES.size()));
        int at = f.indexOf("%s");
        return new Sample(f.replace("%s", item), at, at + item.length(), kind);
    }

    static String digits(SplittableRandom r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(r.nextInt(10));
        }
        return sb.toString();
    }

    static String luhnComplete(String partial) {
        for (int d = 0; d < 10; d++) {
            if (PiiScrubber.luhn(partial + d)) {
                return partial + d;
            }
        }
        throw new IllegalStateException();
    }

    static String group(String digits, int[] groups, String sep) {
        StringBuilder sb = new StringBuilder();
        int pos = 0;
        for (int g : groups) {
            if (pos > 0) {
                sb.append(sep);
            }
            sb.append(digits, pos, pos + g);
            pos += g;
        }
        return sb.toString();
    }

    static List<Sample> labelledSet() {
        SplittableRandom r = new SplittableRandom(2024);
        List<Sample> s = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // SSNs, valid and breaking each rule
            int area = 1 + r.nextInt(899);
            if (area == 666) {
                area = 665;
            }
            String valid = String.format("%03d-%02d-%04d", area, 1 + r.nextInt(99), 1 + r.nextInt(9999));
            s.add(frame(r, valid, PiiScrubber.Kind.SSN));
            String[] invalid = {String.format("000-%02d-%04d", 1 + r.nextInt(99), 1 + r.nextInt(9999)),
                String.format("666-%02d-%04d", 1 + r.nextInt(99), 1 + r.nextInt(9999)),
                String.format("%03d-%02d-%04d", 900 + r.nextInt(100), 1 + r.nextInt(99), 1 + r.nextInt(9999)),
                String.format("%03d-00-%04d", 1 + r.nextInt(665), 1 + r.nextInt(9999)),
                String.format("%03d-%02d-0000", 1 + r.nextInt(665), 1 + r.nextInt(99))};
            s.add(frame(r, invalid[i % invalid.length], null));

            // payment cards: issuer prefix, length, Luhn; spaces, dashes or none
            String[][] issuers = {{"4", "16"}, {"4", "13"}, {"51", "16"}, {"55", "16"}, {"2221", "16"}, {"34", "15"},
                {"37", "15"}, {"6011", "16"}, {"65", "16"}, {"3530", "16"}, {"36", "14"}};
            String[] is = issuers[i % issuers.length];
            int len = Integer.parseInt(is[1]);
            String card = luhnComplete(is[0] + digits(r, len - is[0].length() - 1));
            int[] groups = len == 15 ? new int[] {4, 6, 5} : len == 14 ? new int[] {4, 6, 4}
                    : len == 13 ? new int[] {4, 4, 5} : new int[] {4, 4, 4, 4};
            String sep = List.of(" ", "-", "").get(i % 3);
            s.add(frame(r, group(card, groups, sep), PiiScrubber.Kind.CREDIT_CARD));
            String badLuhn = card.substring(0, len - 1) + ((card.charAt(len - 1) - '0' + 1) % 10);
            s.add(frame(r, group(badLuhn, groups, sep), null));
            String noIssuer = luhnComplete("1" + digits(r, 14));          // Luhn-valid, no such issuer
            s.add(frame(r, group(noIssuer, new int[] {4, 4, 4, 4}, sep), null));

            // e-mail addresses and look-alikes
            String user = List.of("jane.doe", "j_smith", "info", "bob+news", "a.b.c").get(i % 5) + i;
            String domain = List.of("example.com", "mail.example.org", "uni.ac.uk", "corp.co").get(i % 4);
            s.add(frame(r, user + "@" + domain, PiiScrubber.Kind.EMAIL));
            s.add(frame(r, List.of("@handle" + i, user + " at " + domain, "user@localhost", "name@", "x@@y.com")
                    .get(i % 5), null));

            // US phone numbers in common formats (libphonenumber-valid area and exchange codes)
            int ac = AREA_CODES[i % AREA_CODES.length];
            int ex = 200 + r.nextInt(700);
            if (ex % 100 == 11 || ex == 555) {
                ex = 234;
            }
            String line = String.format("%04d", r.nextInt(10000));
            String phone = switch (i % 4) {
                case 0 -> "(" + ac + ") " + ex + "-" + line;
                case 1 -> ac + "-" + ex + "-" + line;
                case 2 -> "+1 " + ac + " " + ex + " " + line;
                default -> ac + "." + ex + "." + line;
            };
            s.add(frame(r, phone, PiiScrubber.Kind.PHONE));

            // public addresses, and private/reserved ones that are not personal
            String ip = switch (i % 4) {
                case 0 -> (11 + r.nextInt(90)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
                case 1 -> "8.8." + r.nextInt(256) + "." + (1 + r.nextInt(254));
                case 2 -> String.format("2a03:2880:%x:%x::%x", r.nextInt(65536), r.nextInt(65536), 1 + r.nextInt(4000));
                default -> String.format("2001:4860:4860:0:0:0:0:%x", 1 + r.nextInt(65535));
            };
            s.add(frame(r, ip, PiiScrubber.Kind.IP_ADDRESS));
            String privateIp = switch (i % 6) {
                case 0 -> "192.168." + r.nextInt(256) + "." + r.nextInt(256);
                case 1 -> "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
                case 2 -> "127.0.0." + (1 + r.nextInt(254));
                case 3 -> "fe80::" + Integer.toHexString(1 + r.nextInt(65535));
                case 4 -> "::1";
                default -> "172." + (16 + r.nextInt(16)) + "." + r.nextInt(256) + "." + r.nextInt(256);
            };
            s.add(frame(r, privateIp, null));

            // numbers that are none of the above
            String other = switch (i % 10) {
                case 0 -> String.format("%d-%02d-%02d", 1990 + r.nextInt(35), 1 + r.nextInt(12), 1 + r.nextInt(28));
                case 1 -> String.format("%02d/%02d/%d", 1 + r.nextInt(12), 1 + r.nextInt(28), 1990 + r.nextInt(35));
                case 2 -> "Order #" + digits(r, 8);
                case 3 -> "ORD-" + (2015 + r.nextInt(10)) + "-" + digits(r, 6);
                case 4 -> String.format("%02d:%02d:%02d", r.nextInt(24), r.nextInt(60), r.nextInt(60));
                case 5 -> "version " + r.nextInt(10) + "." + r.nextInt(30) + "." + r.nextInt(100);
                case 6 -> "94" + digits(r, 3) + "-" + digits(r, 4);
                case 7 -> "978-" + r.nextInt(10) + "-" + digits(r, 2) + "-" + digits(r, 6) + "-" + r.nextInt(10);
                case 8 -> String.format("%02X:%02X:%02X:%02X:%02X:%02X", r.nextInt(256), r.nextInt(256),
                        r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256));
                default -> "invoice " + digits(r, 6) + " of " + (1 + r.nextInt(500)) + " units";
            };
            s.add(frame(r, other, null));
        }
        return s;
    }

    @Test
    void precisionAndRecallOnGeneratedLabelledSet() {
        Map<PiiScrubber.Kind, int[]> tally = new EnumMap<>(PiiScrubber.Kind.class); // tp, fp, fn
        for (PiiScrubber.Kind k : PiiScrubber.Kind.values()) {
            tally.put(k, new int[3]);
        }
        List<String> misses = new ArrayList<>();
        for (Sample s : labelledSet()) {
            List<PiiScrubber.Match> found = pii.find(s.text());
            boolean hit = false;
            for (PiiScrubber.Match m : found) {
                if (s.kind() != null && m.kind() == s.kind() && m.start() == s.start() && m.end() == s.end()) {
                    tally.get(m.kind())[0]++;
                    hit = true;
                } else {
                    tally.get(m.kind())[1]++;
                    misses.add("false " + m.kind() + ": " + s.text());
                }
            }
            if (s.kind() != null && !hit) {
                tally.get(s.kind())[2]++;
                misses.add("missed " + s.kind() + ": " + s.text());
            }
        }
        System.out.println("PII detection on the generated labelled set (kind: precision, recall, tp/fp/fn):");
        for (var e : tally.entrySet()) {
            int[] t = e.getValue();
            System.out.printf("  %-11s P=%.3f R=%.3f  %d/%d/%d%n", e.getKey(), precision(t), recall(t), t[0], t[1],
                    t[2]);
        }
        misses.stream().limit(20).forEach(m -> System.out.println("  " + m));
        for (var e : tally.entrySet()) {
            assertThat(precision(e.getValue())).as("precision of " + e.getKey()).isGreaterThanOrEqualTo(0.98);
            assertThat(recall(e.getValue())).as("recall of " + e.getKey()).isGreaterThanOrEqualTo(0.95);
        }
    }

    private static double precision(int[] t) {
        return t[0] + t[1] == 0 ? 1 : (double) t[0] / (t[0] + t[1]);
    }

    private static double recall(int[] t) {
        return t[0] + t[2] == 0 ? 1 : (double) t[0] / (t[0] + t[2]);
    }

    @Test
    void knownTestCardNumbersAndRules() {
        // issuers' published test numbers
        for (String c : List.of("4111 1111 1111 1111", "5500-0000-0000-0004", "3782 822463 10005", "6011111111111117",
                "3530111333300000", "4222222222222")) {
            assertThat(pii.find("card " + c + " ok")).extracting(PiiScrubber.Match::kind)
                    .containsExactly(PiiScrubber.Kind.CREDIT_CARD);
        }
        assertThat(PiiScrubber.validSsn("078", "05", "1120")).isTrue();
        assertThat(PiiScrubber.validSsn("666", "05", "1120")).isFalse();
        assertThat(PiiScrubber.validSsn("912", "05", "1120")).isFalse();
        assertThat(pii.find("my SSN is 078051120.")).extracting(PiiScrubber.Match::kind)
                .containsExactly(PiiScrubber.Kind.SSN);
        assertThat(pii.find("tracking number 078051120.")).isEmpty();
    }

    @Test
    void scrubsWithTypedPlaceholdersAndCounts() {
        Map<PiiScrubber.Kind, Integer> counts = new HashMap<>();
        String out = pii.scrub("Mail a.b@example.com or b@example.org, call (415) 555-2671, host 8.8.4.4, "
                + "SSN 123-45-6789, card 4111-1111-1111-1111, meeting 2023-05-01 at 10:30.", counts);
        assertThat(out).isEqualTo("Mail [EMAIL] or [EMAIL], call [PHONE], host [IP_ADDRESS], "
                + "SSN [SSN], card [CREDIT_CARD], meeting 2023-05-01 at 10:30.");
        assertThat(counts).containsEntry(PiiScrubber.Kind.EMAIL, 2).containsEntry(PiiScrubber.Kind.PHONE, 1)
                .containsEntry(PiiScrubber.Kind.IP_ADDRESS, 1).containsEntry(PiiScrubber.Kind.SSN, 1)
                .containsEntry(PiiScrubber.Kind.CREDIT_CARD, 1);
    }
}
