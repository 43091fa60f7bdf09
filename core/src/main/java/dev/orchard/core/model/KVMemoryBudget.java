package dev.orchard.core.model;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte budget shared by the KV caches of many sequences (a server's running requests). A {@link KVCache} made
 * with {@link KVCache#growable} reserves bytes here each time it grows by a block and gives them all back when it
 * is {@link KVCache#release() released}; a reservation that would pass the limit is refused, so the scheduler can
 * make the request wait instead of the process running out of memory. Thread-safe.
 */
public final class KVMemoryBudget {

    private final long limitBytes;
    private final AtomicLong used = new AtomicLong();

    public KVMemoryBudget(long limitBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("KV memory budget must be positive, got " + limitBytes);
        }
        this.limitBytes = limitBytes;
    }

    /** Reserves {@code bytes} if they fit under the limit; false (and nothing reserved) otherwise. */
    public boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot reserve " + bytes + " bytes");
        }
        while (true) {
            long now = used.get();
            if (now + bytes > limitBytes) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Gives back bytes reserved earlier. */
    public void release(long bytes) {
        long after = used.addAndGet(-bytes);
        if (after < 0) {
            throw new IllegalStateException("KV memory budget released more than was reserved");
        }
    }

    public long limitBytes() {
        return limitBytes;
    }

    public long usedBytes() {
        return used.get();
    }
}
