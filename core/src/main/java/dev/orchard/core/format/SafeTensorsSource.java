package dev.orchard.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchard.core.quant.WeightMatrices;
import dev.orchard.core.quant.WeightMatrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The tensors of a Hugging Face model directory: {@code model.safetensors}, or the shards named by
 * {@code model.safetensors.index.json}. Names are already Hugging Face names.
 */
public final class SafeTensorsSource implements TensorSource {

    private final List<SafeTensors> files;
    private final Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();

    private SafeTensorsSource(List<SafeTensors> files) {
        this.files = files;
        for (SafeTensors f : files) {
            for (SafeTensors.Tensor t : f.tensors().values()) {
                if (tensors.put(t.name(), t) != null) {
                    throw new FormatException("tensor " + t.name() + " appears in more than one shard (" + f.path() + ")");
                }
            }
        }
    }

    /** Opens the safetensors files of a model directory (index, single file, or every *.safetensors). */
    public static SafeTensorsSource openDirectory(Path dir) throws IOException {
        Path index = dir.resolve("model.safetensors.index.json");
        List<Path> paths = new ArrayList<>();
        if (Files.exists(index)) {
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(Files.readString(index));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new FormatException(index + ": not valid JSON: " + e.getOriginalMessage());
            }
            JsonNode map = root.path("weight_map");
            if (!map.isObject() || map.isEmpty()) {
                throw new FormatException(index + ": no weight_map");
            }
            TreeSet<String> shards = new TreeSet<>();
            map.fields().forEachRemaining(e -> shards.add(e.getValue().asText()));
            for (String shard : shards) {
                Path p = dir.resolve(shard).normalize();
                if (!p.startsWith(dir.normalize()) || !Files.exists(p)) {
                    throw new FormatException(index + ": shard " + shard + " is missing");
                }
                paths.add(p);
            }
        } else if (Files.exists(dir.resolve("model.safetensors"))) {
            paths.add(dir.resolve("model.safetensors"));
        } else {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".safetensors")
                                && !p.getFileName().toString().startsWith("adapter_"))
                        .sorted().forEach(paths::add);
            }
            if (paths.isEmpty()) {
                throw new FormatException(dir + ": no model.safetensors, index or *.safetensors file");
            }
        }
        return open(paths);
    }

    /** Opens the given safetensors files as one source. */
    public static SafeTensorsSource open(List<Path> paths) throws IOException {
        List<SafeTensors> opened = new ArrayList<>();
        try {
            for (Path p : paths) {
                opened.add(SafeTensors.open(p));
            }
            return new SafeTensorsSource(opened);
        } catch (RuntimeException | IOException e) {
            opened.forEach(SafeTensors::close);
            throw e;
        }
    }

    /** {@code __metadata__} of all files merged. */
    public Map<String, String> metadata() {
        Map<String, String> all = new LinkedHashMap<>();
        files.forEach(f -> all.putAll(f.metadata()));
        return all;
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        tensors.forEach((n, t) -> out.put(n, t.dtype() + " " + Arrays.toString(t.shape())));
        return out;
    }

    @Override
    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    public SafeTensors.Tensor tensor(String name) {
        SafeTensors.Tensor t = tensors.get(name);
        if (t == null) {
            throw new FormatException("missing tensor " + name + " in " + where());
        }
        return t;
    }

    @Override
    public WeightMatrix matrix(String name, int rows, int cols) {
        SafeTensors.Tensor t = tensor(name);
        if (t.shape().length != 2 || t.shape()[0] != rows || t.shape()[1] != cols) {
            throw new FormatException("tensor " + name + " has shape " + Arrays.toString(t.shape()) + ", expected ["
                    + rows + ", " + cols + "] from config.json");
        }
        return WeightMatrices.wrap(t.encoding(), t.data(), rows, cols);
    }

    @Override
    public float[] vector(String name, int length) {
        SafeTensors.Tensor t = tensor(name);
        if (t.elements() != length || t.shape().length != 1) {
            throw new FormatException("tensor " + name + " has shape " + Arrays.toString(t.shape()) + ", expected ["
                    + length + "] from config.json");
        }
        return t.toFloatArray();
    }

    @Override
    public boolean adjacentPairRope() {
        return false;
    }

    @Override
    public long totalBytes() {
        return tensors.values().stream().mapToLong(t -> t.data().byteSize()).sum();
    }

    private String where() {
        return files.size() == 1 ? files.get(0).path().toString() : files.size() + " shards in " + files.get(0).path().getParent();
    }

    @Override
    public void close() {
        files.forEach(SafeTensors::close);
    }
}
