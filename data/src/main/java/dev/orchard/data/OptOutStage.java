package dev.orchard.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Honours publishers' opt-outs: drops documents whose site's robots.txt (from a supplied collection, parsed by
 * crawler-commons) disallows the configured user agent for the page's URL, and documents on a URL block list.
 * Documents without a URL pass: there is nothing to check them against.
 */
final class OptOutStage implements DocStage {
    private final String userAgent;
    private final Map<String, String> robotsByHost;
    private final List<String> blockedDomains = new ArrayList<>();
    private final List<String> blockedPrefixes = new ArrayList<>();
    private transient Map<String, BaseRobotRules> parsed;

    OptOutStage(CurationConfig.OptOut cfg) {
        this(cfg.userAgent, cfg.robots == null ? Map.of() : loadRobots(Path.of(cfg.robots)),
                cfg.blocklist == null ? List.of() : readLines(Path.of(cfg.blocklist)));
    }

    OptOutStage(String userAgent, Map<String, String> robotsByHost, List<String> blocklist) {
        this.userAgent = userAgent.toLowerCase(Locale.ROOT);
        this.robotsByHost = new TreeMap<>();
        robotsByHost.forEach((h, r) -> this.robotsByHost.put(h.toLowerCase(Locale.ROOT), r));
        for (String line : blocklist) {
            String e = line.strip();
            if (e.isEmpty() || e.startsWith("#")) {
                continue;
            }
            if (e.contains("://")) {
                blockedPrefixes.add(e);
            } else {
                blockedDomains.add(e.toLowerCase(Locale.ROOT).replaceAll("^\\.+", ""));
            }
        }
    }

    @Override
    public String name() {
        return "opt_out";
    }

    @Override
    public StageResult apply(Doc doc, Counters counters) {
        String url = doc.url();
        if (url == null || url.isBlank()) {
            return StageResult.keep(doc);
        }
        String host = host(url);
        for (String p : blockedPrefixes) {
            if (url.startsWith(p)) {
                return StageResult.reject("blocklist");
            }
        }
        if (host != null) {
            for (String d : blockedDomains) {
                if (host.equals(d) || host.endsWith("." + d)) {
                    return StageResult.reject("blocklist");
                }
            }
            BaseRobotRules rules = rules(host, url);
            if (rules != null && !rules.isAllowed(url)) {
                return StageResult.reject("robots_txt");
            }
        }
        return StageResult.keep(doc);
    }

    private BaseRobotRules rules(String host, String url) {
        String robots = robotsByHost.get(host);
        String key = host;
        if (robots == null && host.startsWith("www.")) {
            key = host.substring(4);
            robots = robotsByHost.get(key);
        }
        if (robots == null) {
            return null;
        }
        Map<String, BaseRobotRules> cache = parsed;
        if (cache == null) {
            cache = parsed = new ConcurrentHashMap<>();
        }
        String body = robots;
        return cache.computeIfAbsent(key, k -> new SimpleRobotRulesParser().parseContent(
                robotsUrl(url), body.getBytes(StandardCharsets.UTF_8), "text/plain", List.of(userAgent)));
    }

    private static String robotsUrl(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getRawAuthority() + "/robots.txt";
        } catch (RuntimeException e) {
            return "http://invalid/robots.txt";
        }
    }

    static String host(String url) {
        try {
            String h = URI.create(url.strip()).getHost();
            return h == null ? null : h.toLowerCase(Locale.ROOT);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A directory of {@code <host>.txt} files, or a JSONL file of {@code {"host": ..., "robots": ...}}. */
    static Map<String, String> loadRobots(Path p) {
        Map<String, String> out = new HashMap<>();
        try {
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.list(p)) {
                    for (Path f : files.sorted().toList()) {
                        String name = f.getFileName().toString();
                        if (name.endsWith(".txt")) {
                            out.put(name.substring(0, name.length() - 4), Files.readString(f));
                        }
                    }
                }
            } else {
                ObjectMapper json = new ObjectMapper();
                int lineNo = 0;
                for (String line : Files.readAllLines(p)) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode n = json.readTree(line);
                    if (n == null || !n.hasNonNull("host") || !n.hasNonNull("robots")) {
                        throw new IllegalArgumentException("opt_out.robots " + p + " line " + lineNo
                                + ": expected {\"host\": ..., \"robots\": ...}");
                    }
                    out.put(n.get("host").asText(), n.get("robots").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read opt_out.robots " + p + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static List<String> readLines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read opt_out.blocklist " + p + ": " + e.getMessage(), e);
        }
    }
}
