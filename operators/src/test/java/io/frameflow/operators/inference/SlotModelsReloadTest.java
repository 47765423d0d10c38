package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file replaced while a slot runs (issue 17, model rollout): the slot loads the new file
 * beside the running one, new frames run on it, frames already handed over finish on the old one
 * (none fails), every result names the version that computed it; a file that does not load leaves
 * the running version in place and is not tried again until it changes. Real models: YOLOX-Nano
 * replaced by YOLOv8n under the same file name; versions are the files' SHA-256 prefixes, computed
 * here from the bytes.
 */
class SlotModelsReloadTest {

    @TempDir Path dir;

    private final List<String> swaps = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final SlotModels.Rollout rollout =
            new SlotModels.Rollout() {
                @Override
                public void swapped(ModelInfo before, ModelInfo now) {
                    swaps.add(before.version() + "->" + now.version());
                }

                @Override
                public void refused(ModelInfo running, String reason) {
                    refusals.add(running.version() + ": " + reason);
                }
            };

    private static String sha8(Path file) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        return HexFormat.of().formatHex(digest).substring(0, 8);
    }

    /** Replaces {@code target} as a deployment should: written beside it, renamed over it. */
    private static void replace(Path target, byte[] content) throws Exception {
        Path next = target.resolveSibling(target.getFileName() + ".next");
        Files.write(next, content);
        Files.move(
                next, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static long persons(SlotModels.Inferred r) {
        return r.result().detections().stream().filter(d -> d.label().equals("person")).count();
    }

    @Test
    void aReplacedFileRunsFromTheNextFrameWhileFramesInFlightFinishOnTheOldOne() throws Exception {
        Path yolox = SharedResources.model("yolox_nano.onnx");
        Path yolov8 = SharedResources.model("yolov8n_int8.onnx");
        Path model = dir.resolve("detector.onnx");
        Files.copy(yolox, model);
        byte[] bus = Files.readAllBytes(SharedResources.media("images/bus.jpg"));
        DetectorSettings settings =
                DetectorSettings.forModel(model).device("cpu").threads(1, 1).build();

        try (SlotModels slot = SlotModels.start(List.of(settings), 0, n -> {})) {
            SlotModels.Inferred before = slot.detect(bus, List.of(0), Long.MAX_VALUE).get();
            assertThat(before.model()).isEqualTo("detector");
            assertThat(before.version()).isEqualTo(sha8(yolox));
            assertThat(persons(before)).isGreaterThanOrEqualTo(3); // bus.jpg: 4 by eye

            slot.reload(Duration.ofSeconds(30), rollout);
            assertThat(swaps).as("untouched file").isEmpty();

            replace(model, Files.readAllBytes(yolov8));
            slot.reload(Duration.ofSeconds(30), rollout); // sees the change, waits for it to settle
            assertThat(swaps).isEmpty();
            // frames handed over now, before the new file is loaded and swapped in
            List<CompletableFuture<SlotModels.Inferred>> inFlight = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                inFlight.add(slot.detect(bus, List.of(0), Long.MAX_VALUE));
            }
            slot.reload(Duration.ofSeconds(30), rollout);
            assertThat(swaps).containsExactly(sha8(yolox) + "->" + sha8(yolov8));
            for (CompletableFuture<SlotModels.Inferred> f : inFlight) {
                SlotModels.Inferred r = f.get(30, TimeUnit.SECONDS); // none failed by the close
                assertThat(r.version()).isEqualTo(sha8(yolox));
                assertThat(persons(r)).isEqualTo(persons(before));
            }

            SlotModels.Inferred after = slot.detect(bus, List.of(0), Long.MAX_VALUE).get();
            assertThat(after.model()).isEqualTo("detector");
            assertThat(after.version()).isEqualTo(sha8(yolov8));
            assertThat(persons(after)).isGreaterThanOrEqualTo(3);

            // a broken file: refused once, the running version stays and is not given up
            replace(model, "not a model".getBytes());
            slot.reload(Duration.ofSeconds(30), rollout);
            slot.reload(Duration.ofSeconds(30), rollout);
            slot.reload(Duration.ofSeconds(30), rollout);
            assertThat(refusals).hasSize(1);
            assertThat(refusals.get(0)).startsWith(sha8(yolov8) + ": ");
            assertThat(swaps).hasSize(1);
            SlotModels.Inferred still = slot.detect(bus, List.of(0), Long.MAX_VALUE).get();
            assertThat(still.version()).isEqualTo(sha8(yolov8));
            assertThat(persons(still)).isEqualTo(persons(after));
        }
    }
}
