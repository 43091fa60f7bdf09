package dev.orchard.data;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One input file: its location (a Hadoop path string, so local files and HDFS/S3 work alike), the name it is known
 * by in document ids, its format (from the extension) and its size.
 */
record InputFile(String path, String source, Format format, long size) implements Serializable {

    enum Format { JSONL, PARQUET, TEXT, HTML, WARC }

    /** The format of a file name, or null when the extension is not one we read. */
    static Format formatOf(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson")) {
            return Format.JSONL;
        }
        if (n.endsWith(".parquet")) {
            return Format.PARQUET;
        }
        if (n.endsWith(".txt")) {
            return Format.TEXT;
        }
        if (n.endsWith(".html") || n.endsWith(".htm")) {
            return Format.HTML;
        }
        if (n.endsWith(".warc")) {
            return Format.WARC;
        }
        return null;
    }

    /**
     * Expands the user's inputs (files or directories, walked recursively) into files in a fixed order. A file
     * named directly must have a known extension; inside directories, other files (and hidden ones) are skipped.
     */
    static List<InputFile> expand(List<String> inputs, Configuration conf) {
        List<InputFile> out = new ArrayList<>();
        Set<String> sources = new HashSet<>();
        for (String input : inputs) {
            try {
                Path p = new Path(input);
                FileSystem fs = p.getFileSystem(conf);
                if (!fs.exists(p)) {
                    throw new IllegalArgumentException("input not found: " + input);
                }
                FileStatus st = fs.getFileStatus(p);
                List<InputFile> found = new ArrayList<>();
                if (st.isDirectory()) {
                    walk(fs, p, p.getName() + "/", found);
                } else {
                    Format f = formatOf(p.getName());
                    if (f == null) {
                        throw new IllegalArgumentException("unknown input format for " + input
                                + " (expected .jsonl, .parquet, .txt, .html, .warc, optionally .gz)");
                    }
                    found.add(new InputFile(st.getPath().toString(), p.getName(), f, st.getLen()));
                }
                for (InputFile f : found) {
                    String source = f.source;
                    for (int k = 2; !sources.add(source); k++) { // the same name given twice: keep ids unique
                        source = f.source + "#" + k;
                    }
                    out.add(new InputFile(f.path, source, f.format, f.size));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list input " + input + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static void walk(FileSystem fs, Path dir, String prefix, List<InputFile> out) throws IOException {
        FileStatus[] children = fs.listStatus(dir);
        java.util.Arrays.sort(children, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        for (FileStatus c : children) {
            String name = c.getPath().getName();
            if (name.startsWith(".") || name.startsWith("_")) {
                continue;
            }
            if (c.isDirectory()) {
                walk(fs, c.getPath(), prefix + name + "/", out);
            } else {
                Format f = formatOf(name);
                if (f != null) {
                    out.add(new InputFile(c.getPath().toString(), prefix + name, f, c.getLen()));
                }
            }
        }
    }
}
