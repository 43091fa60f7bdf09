package dev.orchard.data;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data and replaces it with typed placeholders. Each detector checks more than a pattern, because
 * precision matters as much as recall: SSNs obey the SSA's rules (no 000, 666 or 9xx area, no 00 group, no 0000
 * serial) and bare nine-digit runs count only next to an "SSN" cue; card numbers must pass the Luhn check and start
 * with a known issuer prefix of the right length; phone numbers must be valid numbers for the configured regions
 * according to libphonenumber; IP addresses must be public (no private, loopback, link-local, documentation,
 * multicast or reserved ranges). Dates, order numbers, version strings and times fail these checks.
 */
public final class PiiScrubber implements Serializable {

    /** The kinds of personal data, with their placeholders. */
    public enum Kind {
        EMAIL("email", "[EMAIL]"), SSN("ssn", "[SSN]"), CREDIT_CARD("credit_card", "[CREDIT_CARD]"),
        IP_ADDRESS("ip_address", "[IP_ADDRESS]"), PHONE("phone", "[PHONE]");

        final String key;
        final String placeholder;

        Kind(String key, String placeholder) {
            this.key = key;
            this.placeholder = placeholder;
        }

        public String placeholder() {
            return placeholder;
        }

        static Kind of(String key) {
            for (Kind k : values()) {
                if (k.key.equals(key)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown PII kind " + key);
        }
    }

    /** A detected span. */
    public record Match(int start, int end, Kind kind) {
    }

    private static final Pattern EMAIL = Pattern.compile(
            "(?<![\\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
                    + "[A-Za-z]{2,24}(?![\\w-])");
    private static final Pattern SSN = Pattern.compile("(?<![\\d-])(\\d{3})([- ])(\\d{2})\\2(\\d{4})(?![\\d-])");
    private static final Pattern SSN_BARE = Pattern.compile(
            "(?i)(?:\\bssn|social security(?: number| no\\.?)?)\\W{0,5}(?:is\\W{0,3})?(\\d{9})(?!\\d)");
    private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
    private static final Pattern IPV4 = Pattern.compile(
            "(?<![\\d.])((?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3})"
                    + "(?![\\d]|\\.\\d)");
    private static final Pattern IPV6 = Pattern.compile(
            "(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\\d{1,3}\\.){3}\\d{1,3})?"
                    + "(?![0-9A-Fa-f:])");

    private final List<Kind> kinds;
    private final List<String> phoneRegions;

    public PiiScrubber(List<String> kinds, List<String> phoneRegions) {
        this.kinds = kinds.stream().map(Kind::of).sorted().toList();
        this.phoneRegions = List.copyOf(phoneRegions);
    }

    /** All detectors, US phone formats. */
    public static PiiScrubber defaults() {
        return new PiiScrubber(List.of("email", "ssn", "credit_card", "phone", "ip_address"), List.of("US"));
    }

    /** Non-overlapping matches in text order; where detectors overlap, the earlier kind in {@link Kind} wins. */
    public List<Match> find(String text) {
        List<Match> accepted = new ArrayList<>();
        int digits = countDigits(text, 7);
        for (Kind k : kinds) {
            if (k != Kind.EMAIL && digits < (k == Kind.IP_ADDRESS ? 2 : 7)) {
                continue; // every other kind needs digits: most prose has too few to be worth scanning
            }
            for (Match m : detect(k, text)) {
                if (accepted.stream().noneMatch(a -> a.start < m.end && m.start < a.end)) {
                    accepted.add(m);
                }
            }
        }
        accepted.sort(Comparator.comparingInt(Match::start));
        return accepted;
    }

    /** The text with every match replaced by its placeholder; counts per kind go into {@code counts}. */
    public String scrub(String text, Map<Kind, Integer> counts) {
        List<Match> ms = find(text);
        if (ms.isEmpty()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        int pos = 0;
        for (Match m : ms) {
            sb.append(text, pos, m.start).append(m.kind.placeholder);
            pos = m.end;
            if (counts != null) {
                counts.merge(m.kind, 1, Integer::sum);
            }
        }
        return sb.append(text, pos, text.length()).toString();
    }

    private List<Match> detect(Kind k, String text) {
        List<Match> out = new ArrayList<>();
        switch (k) {
            case EMAIL -> {
                if (text.indexOf('@') < 0) {
                    return out;
                }
                Matcher m = EMAIL.matcher(text);
                while (m.find()) {
                    String local = m.group().substring(0, m.group().indexOf('@'));
                    if (!local.endsWith(".") && !local.contains("..")) {
                        out.add(new Match(m.start(), m.end(), k));
                    }
                }
            }
            case SSN -> {
                Matcher m = SSN.matcher(text);
                while (m.find()) {
                    if (validSsn(m.group(1), m.group(3), m.group(4))) {
                        out.add(new Match(m.start(), m.end(), k));
                    }
                }
                Matcher b = SSN_BARE.matcher(text);
                while (b.find()) {
                    String d = b.group(1);
                    if (validSsn(d.substring(0, 3), d.substring(3, 5), d.substring(5))) {
                        out.add(new Match(b.start(1), b.end(1), k));
                    }
                }
            }
            case CREDIT_CARD -> {
                Matcher m = CARD.matcher(text);
                while (m.find()) {
                    String g = m.group();
                    if (consistentSeparators(g)) {
                        String digits = g.replaceAll("[ -]", "");
                        if (luhn(digits) && knownIssuer(digits)) {
                            out.add(new Match(m.start(), m.end(), k));
                        }
                    }
                }
            }
            case IP_ADDRESS -> {
                Matcher m = IPV4.matcher(text);
                while (m.find()) {
                    int[] o = parseV4(m.group(1));
                    if (o != null && publicV4(o)) {
                        out.add(new Match(m.start(), m.end(), k));
                    }
                }
                if (text.indexOf(':') >= 0) {
                    Matcher v6 = IPV6.matcher(text);
                    while (v6.find()) {
                        int[] groups = parseV6(v6.group());
                        if (groups != null && publicV6(groups)) {
                            out.add(new Match(v6.start(), v6.end(), k));
                        }
                    }
                }
            }
            case PHONE -> {
                PhoneNumberUtil util = PhoneNumberUtil.getInstance();
                for (String region : phoneRegions) {
                    // STRICT_GROUPING: valid numbers whose digit groups follow the region's formats, which
                    // turns away order and reference numbers such as "2018-441834"
                    for (PhoneNumberMatch pm : util.findNumbers(text, region.toUpperCase(Locale.ROOT),
                            PhoneNumberUtil.Leniency.STRICT_GROUPING, Long.MAX_VALUE)) {
                        int start = pm.start();
                        int end = pm.end();
                        String span = text.substring(start, end);
                        if (span.charAt(0) == '(' && span.indexOf(')') < 0) {
                            start++; // "(312.245.9394)": the parenthesis wraps the number, it is not part of it
                        } else if (span.charAt(0) == '(' && span.endsWith(")") && span.indexOf(')') == span.length() - 1) {
                            start++;
                            end--;
                        }
                        if (!glued(text, start, end)) {
                            out.add(new Match(start, end, k));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The number of ASCII digits in the text, counting no further than {@code enough}. */
    private static int countDigits(String text, int enough) {
        int n = 0;
        for (int i = 0; i < text.length() && n < enough; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                n++;
            }
        }
        return n;
    }

    /** True when the span continues a longer token, as in "ORD-2125550142" or "x2125550142". */
    private static boolean glued(String text, int start, int end) {
        if (start > 0) {
            char b = text.charAt(start - 1);
            if (Character.isLetterOrDigit(b) || b == '-' || b == '#' || b == '/' || b == '_') {
                return true;
            }
        }
        if (end < text.length()) {
            char a = text.charAt(end);
            return Character.isLetterOrDigit(a) || a == '-' || a == '_'
                    || (a == '/' && end + 1 < text.length() && Character.isDigit(text.charAt(end + 1)));
        }
        return false;
    }

    /** SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000. */
    static boolean validSsn(String area, String group, String serial) {
        int a = Integer.parseInt(area);
        return a != 0 && a != 666 && a < 900 && !group.equals("00") && !serial.equals("0000");
    }

    /** Digits grouped by one kind of separator, or none. */
    private static boolean consistentSeparators(String g) {
        return !(g.indexOf(' ') >= 0 && g.indexOf('-') >= 0);
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    /** Issuer identification numbers and lengths of the major networks. */
    static boolean knownIssuer(String d) {
        int len = d.length();
        int p2 = Integer.parseInt(d.substring(0, 2));
        int p3 = Integer.parseInt(d.substring(0, 3));
        int p4 = Integer.parseInt(d.substring(0, 4));
        int p6 = Integer.parseInt(d.substring(0, 6));
        if (d.charAt(0) == '4') {
            return len == 13 || len == 16 || len == 19; // Visa
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return len == 16; // Mastercard
        }
        if (p2 == 34 || p2 == 37) {
            return len == 15; // American Express
        }
        if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) {
            return len >= 16 && len <= 19; // Discover
        }
        if (p4 >= 3528 && p4 <= 3589) {
            return len >= 16 && len <= 19; // JCB
        }
        if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39 || p4 == 3095) {
            return len >= 14 && len <= 19; // Diners Club
        }
        if (p2 == 62) {
            return len >= 16 && len <= 19; // UnionPay
        }
        return false;
    }

    static int[] parseV4(String s) {
        String[] parts = s.split("\\.");
        if (parts.length != 4) {
            return null;
        }
        int[] o = new int[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].length() > 1 && parts[i].charAt(0) == '0') {
                return null; // leading zeros: more likely a dotted number than an address
            }
            o[i] = Integer.parseInt(parts[i]);
        }
        return o;
    }

    static boolean publicV4(int[] o) {
        int a = o[0];
        int b = o[1];
        int c = o[2];
        return !(a == 0 || a == 10 || a == 127 || a >= 224
                || (a == 100 && b >= 64 && b <= 127)
                || (a == 169 && b == 254)
                || (a == 172 && b >= 16 && b <= 31)
                || (a == 192 && b == 168)
                || (a == 192 && b == 0 && (c == 0 || c == 2))
                || (a == 198 && (b == 18 || b == 19))
                || (a == 198 && b == 51 && c == 100)
                || (a == 203 && b == 0 && c == 113));
    }

    /** Eight 16-bit groups, or null when the string is not a complete IPv6 address. */
    static int[] parseV6(String s) {
        if (s.isEmpty() || s.indexOf(":::") >= 0) {
            return null;
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        List<Integer> head = new ArrayList<>();
        List<Integer> tail = new ArrayList<>();
        if (dbl >= 0) {
            if (!groups(s.substring(0, dbl), head) || !groups(s.substring(dbl + 2), tail)) {
                return null;
            }
            if (head.size() + tail.size() > 7) {
                return null;
            }
        } else {
            if (!groups(s, head) || head.size() != 8) {
                return null;
            }
        }
        int[] g = new int[8];
        for (int i = 0; i < head.size(); i++) {
            g[i] = head.get(i);
        }
        for (int i = 0; i < tail.size(); i++) {
            g[8 - tail.size() + i] = tail.get(i);
        }
        return g;
    }

    private static boolean groups(String s, List<Integer> out) {
        if (s.isEmpty()) {
            return true;
        }
        String[] parts = s.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && p.indexOf('.') >= 0) {
                int[] v4 = parseV4(p);
                if (v4 == null) {
                    return false;
                }
                out.add(v4[0] << 8 | v4[1]);
                out.add(v4[2] << 8 | v4[3]);
                continue;
            }
            if (p.isEmpty() || p.length() > 4) {
                return false;
            }
            try {
                out.add(Integer.parseInt(p, 16));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    static boolean publicV6(int[] g) {
        boolean allZeroHead = true;
        for (int i = 0; i < 5; i++) {
            allZeroHead &= g[i] == 0;
        }
        if (allZeroHead && g[5] == 0xffff) { // IPv4-mapped
            return publicV4(new int[] {g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff});
        }
        if (allZeroHead && g[5] == 0 && g[6] == 0 && (g[7] == 0 || g[7] == 1)) {
            return false; // unspecified, loopback
        }
        int first = g[0];
        return !((first & 0xfe00) == 0xfc00   // unique local fc00::/7
                || (first & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (first & 0xff00) == 0xff00 // multicast
                || (first == 0x2001 && g[1] == 0x0db8) // documentation
                || allZeroHead);              // other reserved low addresses
    }
}
