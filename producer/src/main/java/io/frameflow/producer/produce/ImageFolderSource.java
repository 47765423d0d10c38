package io.frameflow.producer.produce;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A folder of images, read with OpenCV in file-name order at a fixed rate. */
public final class ImageFolderSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderSource.class);
    private static final Set<String> EXTENSIONS =
            Set.of("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff", "ppm", "pgm");

    private final Path folder;
    private final double fps;
    private List<Path> files = List.of();
    private int index;
    private long skipped;
    private Mat current;
    private String size = "?";

    public ImageFolderSource(Path folder, double fps) {
        this.folder = folder;
        this.fps = fps;
    }

    @Override
    public void open() throws SourceException {
        close();
        try (Stream<Path> list = Files.list(folder)) {
            files =
                    list.filter(Files::isRegularFile)
                            .filter(ImageFolderSource::isImage)
                            .sorted()
                            .toList();
        } catch (IOException e) {
            throw new SourceException("cannot list folder " + folder + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new SourceException("folder " + folder + " holds no images (" + EXTENSIONS + ")");
        }
        index = 0;
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1));
    }

    @Override
    public GrabbedFrame next() {
        while (index < files.size()) {
            Path file = files.get(index);
            long mediaMicros = Math.round(index * 1_000_000.0 / fps);
            index++;
            releaseCurrent();
            Mat image = imread(file.toString(), IMREAD_COLOR);
            if (image == null || image.empty()) {
                skipped++;
                LOG.warn("Skipping unreadable image {}", file);
                if (image != null) {
                    image.close();
                }
                continue;
            }
            current = image;
            size = image.cols() + "x" + image.rows();
            return new GrabbedFrame(image, mediaMicros, System.currentTimeMillis());
        }
        return null;
    }

    private void releaseCurrent() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public double frameRate() {
        return fps;
    }

    @Override
    public long lengthMicros() {
        return Math.round(files.size() * 1_000_000.0 / fps);
    }

    @Override
    public String describe() {
        return String.format(
                Locale.ROOT, "%s (%d images, %s, %.2f fps)", folder, files.size(), size, fps);
    }

    @Override
    public long skipped() {
        return skipped;
    }

    @Override
    public void close() {
        releaseCurrent();
    }
}
