package io.frameflow.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finding the Prometheus binaries (Debian package prometheus). */
final class Prometheus {

    private Prometheus() {}

    static boolean onPath(String binary) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }
}
