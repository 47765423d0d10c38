package io.frameflow.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the models and media that live beside the project (never inside it). The location is the
 * system property {@code frameflow.shared}, else the environment variable {@code FRAMEFLOW_SHARED},
 * else {@code ../shared}.
 */
public final class SharedResources {

    public static final String PROPERTY = "frameflow.shared";
    public static final String ENV = "FRAMEFLOW_SHARED";

    private SharedResources() {}

    public static Path root() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENV);
        }
        if (configured == null || configured.isBlank()) {
            configured = "../shared";
        }
        Path root = Paths.get(configured).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException(
                    "Models and media directory not found at "
                            + root
                            + ". Set -D"
                            + PROPERTY
                            + "=DIR or "
                            + ENV
                            + "=DIR to the folder holding models/ and media/.");
        }
        return root;
    }

    /** A file under {@code models/}, which must exist. */
    public static Path model(String fileName) {
        return existing(root().resolve("models").resolve(fileName));
    }

    /** A file or folder under {@code media/}, which must exist. */
    public static Path media(String relative) {
        return existing(root().resolve("media").resolve(relative));
    }

    private static Path existing(Path p) {
        if (!Files.exists(p)) {
            throw new IllegalStateException("Missing " + p + " (see " + PROPERTY + ")");
        }
        return p;
    }
}
