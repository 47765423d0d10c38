package io.frameflow.operators.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Tells when a model file was replaced and is ready to load: its size or modification time differs
 * from the loaded file's and stayed the same over one poll, so a file still being copied in place
 * is not loaded half-written (writing beside it and renaming it over is still the way to replace a
 * model). A file whose load failed is not tried again until it changes once more; a missing file
 * (between a delete and a copy) is waited for.
 *
 * <p>Not thread-safe: one poll thread per slot (or the operator's own thread) calls it.
 */
public final class ModelFileWatch {

    /** What the file system says of a file: enough to notice a replacement without reading it. */
    public record Stamp(long size, long modifiedMs, Object key) {
        static Stamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                // the file key (device, inode) changes when a file is renamed over: a copy with the
                // same size and second still shows as new
                return new Stamp(a.size(), a.lastModifiedTime().toMillis(), a.fileKey());
            } catch (IOException e) {
                return null;
            }
        }
    }

    private final Path file;
    private Stamp loaded;
    private Stamp seen;
    private Stamp refused;

    /**
     * @param file the model file, as loaded now (its stamp is taken as the running session's)
     */
    public ModelFileWatch(Path file) {
        this.file = file;
        this.loaded = Stamp.of(file);
        this.seen = loaded;
    }

    public Path file() {
        return file;
    }

    /**
     * Polls the file: the stamp to load when it changed and has settled since the last poll, else
     * null.
     */
    public Stamp poll() {
        Stamp now = Stamp.of(file);
        Stamp before = seen;
        seen = now;
        if (now == null || now.equals(loaded) || now.equals(refused) || !now.equals(before)) {
            return null;
        }
        return now;
    }

    /** The file with this stamp runs now. */
    public void loaded(Stamp stamp) {
        loaded = stamp;
    }

    /** The file with this stamp could not be loaded: not tried again until it changes. */
    public void refused(Stamp stamp) {
        refused = stamp;
    }
}
