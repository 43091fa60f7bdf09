package dev.orchard.core.adapter;

import dev.orchard.core.format.FormatException;
import dev.orchard.core.model.ModelConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adapters for one base model, loaded on first use and kept under a byte budget with least-recently-used
 * eviction. Getting a cached adapter is a map lookup, so switching adapters between requests costs no reload of
 * the base and well under a millisecond. Thread-safe.
 */
public final class AdapterCache {

    /** Counters for monitoring. */
    public record Stats(long hits, long misses, long evictions, long bytes, int entries) {
    }

    private final ModelConfig base;
    private final long budgetBytes;
    private final Map<String, Path> registered = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, LoraAdapter> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;
    private long evictions;

    /** Loads an adapter directory for the base (e.g. {@code LanguageModel::loadAdapter}, which knows its RoPE layout). */
    @FunctionalInterface
    public interface Loader {
        LoraAdapter load(Path dir) throws IOException;
    }

    private final Loader loader;
    private final java.util.Set<String> pinned = ConcurrentHashMap.newKeySet();

    public AdapterCache(ModelConfig base, long budgetBytes) {
        this(base, budgetBytes, dir -> LoraAdapter.load(dir, base));
    }

    public AdapterCache(ModelConfig base, long budgetBytes, Loader loader) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("adapter cache budget must be positive, got " + budgetBytes);
        }
        this.base = base;
        this.budgetBytes = budgetBytes;
        this.loader = loader;
    }

    /** Forgets {@code name} (and drops it from the cache); false if it was not registered. */
    public boolean unregister(String name) {
        boolean known = registered.remove(name) != null;
        synchronized (this) {
            pinned.remove(name);
            LoraAdapter gone = cache.remove(name);
            if (gone != null) {
                bytes -= gone.byteSize();
            }
        }
        return known;
    }

    /** Keeps {@code name} in the cache once loaded: eviction passes over it. */
    public void pin(String name) {
        pinned.add(name);
    }

    public void unpin(String name) {
        pinned.remove(name);
    }

    /** The directory registered as {@code name}, if any. */
    public java.util.Optional<Path> directory(String name) {
        return java.util.Optional.ofNullable(registered.get(name));
    }

    /** Makes an adapter directory available under {@code name}; it is loaded when first asked for. */
    public void register(String name, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new FormatException("adapter " + name + ": " + dir + " is not a directory");
        }
        registered.put(name, dir);
    }

    public java.util.Set<String> names() {
        return java.util.Set.copyOf(registered.keySet());
    }

    /** The adapter registered as {@code name}, loading (and evicting others) if needed. */
    public LoraAdapter get(String name) throws IOException {
        synchronized (this) {
            LoraAdapter hit = cache.get(name);
            if (hit != null) {
                hits++;
                return hit;
            }
        }
        Path dir = registered.get(name);
        if (dir == null) {
            throw new IllegalArgumentException("unknown adapter '" + name + "'" + (registered.isEmpty()
                    ? " (none registered)" : " (known: " + String.join(", ", new java.util.TreeSet<>(registered.keySet())) + ")"));
        }
        LoraAdapter loaded = loader.load(dir); // outside the lock: loading takes a while
        if (loaded.byteSize() > budgetBytes) {
            throw new IllegalStateException("adapter '" + name + "' needs " + loaded.byteSize()
                    + " bytes, more than the whole cache budget of " + budgetBytes);
        }
        synchronized (this) {
            LoraAdapter raced = cache.get(name);
            if (raced != null) {
                hits++;
                return raced;
            }
            misses++;
            cache.put(name, loaded);
            bytes += loaded.byteSize();
            Iterator<Map.Entry<String, LoraAdapter>> it = cache.entrySet().iterator();
            while (bytes > budgetBytes && it.hasNext()) {
                Map.Entry<String, LoraAdapter> eldest = it.next();
                if (eldest.getKey().equals(name) || pinned.contains(eldest.getKey())) {
                    continue;
                }
                bytes -= eldest.getValue().byteSize();
                it.remove();
                evictions++;
            }
            return loaded;
        }
    }

    public synchronized boolean isCached(String name) {
        return cache.containsKey(name);
    }

    public synchronized Stats stats() {
        return new Stats(hits, misses, evictions, bytes, cache.size());
    }
}
