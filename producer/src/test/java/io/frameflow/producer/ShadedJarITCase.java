package io.frameflow.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar holds the FFmpeg, OpenCV, OpenBLAS and JavaCPP natives of the platform it was
 * built for (javacpp.platform: linux-x86_64 by default, linux-arm64 with -Parm64) and no other
 * platform's. Checked on the built artifact itself, down to the ELF machine type of the libraries,
 * so it also runs (and means something) in the arm64 build on an x86 machine: {@code mvn -Parm64
 * -pl producer -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=ShadedJarITCase}.
 */
class ShadedJarITCase {

    /** ELF e_machine values. */
    private static final Map<String, Integer> ELF_MACHINE =
            Map.of("linux-x86_64", 0x3E, "linux-arm64", 0xB7);

    @Test
    void holdsTheNativesOfItsPlatformAndNoOthers() throws IOException {
        String platform = System.getProperty("javacpp.platform.expected", "linux-x86_64");
        assertThat(ELF_MACHINE).containsKey(platform);
        try (JarFile jar = new JarFile(ProducerProcess.jar().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(FrameFlowCli.class.getName());
            assertThat(jar.getManifest().getMainAttributes().getValue("X-JavaCPP-Platform"))
                    .isEqualTo(platform);
            List<String> natives =
                    jar.stream()
                            .map(ZipEntry::getName)
                            .filter(ShadedJarITCase::isNativeLibrary)
                            .toList();
            // every native library in the jar is code for the target CPU, none for another
            List<String> foreign = new ArrayList<>();
            for (String entry : natives) {
                if (elfMachine(jar, entry) != ELF_MACHINE.get(platform)) {
                    foreign.add(entry);
                }
            }
            assertThat(foreign).as("natives not built for %s", platform).isEmpty();
            assertThat(natives)
                    .as("JavaCPP natives live under the platform's folder")
                    .filteredOn(n -> n.startsWith("org/bytedeco/"))
                    .allMatch(n -> n.contains("/" + platform + "/"));
            for (String lib :
                    List.of(
                            "org/bytedeco/ffmpeg/" + platform + "/libavcodec.so",
                            "org/bytedeco/ffmpeg/" + platform + "/libjniavformat.so",
                            "org/bytedeco/opencv/" + platform + "/libopencv_core.so",
                            "org/bytedeco/opencv/" + platform + "/libopencv_imgcodecs.so",
                            "org/bytedeco/opencv/" + platform + "/libjniopencv_imgcodecs.so",
                            "org/bytedeco/openblas/" + platform + "/libjniopenblas",
                            "org/bytedeco/javacpp/" + platform + "/libjnijavacpp.so")) {
                assertThat(natives).as("%s* in the jar", lib).anyMatch(n -> n.startsWith(lib));
            }
            // the inference runtime is the job's business, not the edge producer's
            assertThat(jar.getEntry("ai/onnxruntime/OrtEnvironment.class")).isNull();
        }
    }

    private static boolean isNativeLibrary(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        return !name.endsWith("/")
                && (file.endsWith(".so")
                        || file.contains(".so.")
                        || file.endsWith(".dll")
                        || file.endsWith(".dylib")
                        || file.endsWith(".jnilib")
                        || file.endsWith(".a"));
    }

    /** ELF e_machine, or -1 for a library that is not ELF at all (Windows, macOS). */
    private static int elfMachine(JarFile jar, String entry) throws IOException {
        try (InputStream in = jar.getInputStream(jar.getEntry(entry))) {
            byte[] header = in.readNBytes(20);
            if (header.length < 20
                    || header[0] != 0x7F
                    || header[1] != 'E'
                    || header[2] != 'L'
                    || header[3] != 'F') {
                return -1;
            }
            return (header[18] & 0xff) | (header[19] & 0xff) << 8; // little-endian e_machine
        }
    }
}
