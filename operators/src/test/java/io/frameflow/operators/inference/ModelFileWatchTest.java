package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replaced model file is loaded once it has settled, a refused one not again until it changes.
 */
class ModelFileWatchTest {

    @TempDir Path dir;

    private Path write(String name, String content, long modifiedMs) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setLastModifiedTime(f, FileTime.fromMillis(modifiedMs));
        return f;
    }

    @Test
    void anUntouchedFileIsNeverReloaded() throws Exception {
        Path model = write("m.onnx", "v1", 1_000);
        ModelFileWatch watch = new ModelFileWatch(model);
        assertThat(watch.poll()).isNull();
        assertThat(watch.poll()).isNull();
    }

    @Test
    void aFileRenamedOverIsLoadedAtTheNextPollOnceItStayedTheSame() throws Exception {
        Path model = write("m.onnx", "v1", 1_000);
        ModelFileWatch watch = new ModelFileWatch(model);
        Path next = write("m.onnx.new", "v2", 1_000); // same size and time: only the inode differs
        Files.move(
                next, model, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(watch.poll()).as("changed this poll: wait one more").isNull();
        ModelFileWatch.Stamp ready = watch.poll();
        assertThat(ready).isNotNull();
        watch.loaded(ready);
        assertThat(watch.poll()).isNull();
    }

    @Test
    void aFileStillBeingWrittenWaitsUntilItStopsChanging() throws Exception {
        Path model = write("m.onnx", "v1", 1_000);
        ModelFileWatch watch = new ModelFileWatch(model);
        write("m.onnx", "v2-part", 2_000);
        assertThat(watch.poll()).isNull();
        write("m.onnx", "v2-partial-more", 3_000);
        assertThat(watch.poll()).as("still growing").isNull();
        assertThat(watch.poll()).as("settled").isNotNull();
    }

    @Test
    void aRefusedFileIsNotRetriedUntilItChangesAgainAndAMissingOneIsWaitedFor() throws Exception {
        Path model = write("m.onnx", "v1", 1_000);
        ModelFileWatch watch = new ModelFileWatch(model);
        write("m.onnx", "broken", 2_000);
        watch.poll();
        ModelFileWatch.Stamp broken = watch.poll();
        assertThat(broken).isNotNull();
        watch.refused(broken);
        assertThat(watch.poll()).isNull();
        assertThat(watch.poll()).isNull();
        Files.delete(model);
        assertThat(watch.poll()).isNull();
        assertThat(watch.poll()).isNull();
        write("m.onnx", "fixed!", 3_000);
        assertThat(watch.poll()).isNull();
        assertThat(watch.poll()).isNotNull();
    }
}
