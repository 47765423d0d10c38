package io.frameflow.producer.faces;

import io.frameflow.producer.CompactedTopicOptions;
import io.frameflow.producer.CompactedTopicPublisher;
import io.frameflow.producer.CompactedTopicPublisher.Publication;
import io.frameflow.producer.KafkaConnectionOptions;
import io.frameflow.producer.OptionChecks;
import io.frameflow.records.wire.FrameWire;
import io.frameflow.records.wire.ImageInfo;
import io.frameflow.records.wire.ImageProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code faces}: publishes people's photos to the face gallery topic (docs/faces.md), one record
 * per person: key = name (the file name without its extension), value = the photo. The job finds
 * the face, aligns and embeds it; this command checks only what it can without a model (a JPEG or
 * PNG, a usable name, small enough for a stock broker).
 */
@Command(
        name = "faces",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Publishes photos of people to the face gallery topic (default "
                    + FrameWire.TOPIC_FACES
                    + ", compacted): the running job enrols each within seconds and names their"
                    + " faces. One face per photo; the file name (without .jpg/.jpeg/.png) is the"
                    + " person's name.",
            "A photo the job cannot use (no face, several faces) is refused there, logged and"
                    + " dead-lettered with the reason."
        },
        footer = {
            "",
            "Examples (add -b HOST:PORT):",
            "  a folder:         faces --dir people/",
            "  one person:       faces --file ada.jpg",
            "  under a name:     faces --file IMG_0042.jpg --name 'Ada Lovelace'",
            "  forget someone:   faces --delete 'Ada Lovelace'",
            "",
            "Exit codes: 0 published, 1 Kafka failed, 2 bad options or a refused photo."
        })
public final class FacesCommand implements Callable<Integer> {

    /** Exit code of a refused photo (as for bad options). */
    static final int REFUSED = 2;

    /**
     * Largest photo sent: under a stock broker's 1 MiB message limit with room for the key and the
     * record's overhead.
     */
    static final int MAX_PHOTO_BYTES = 1_000_000;

    static final int MAX_NAME_LENGTH = 128;

    @Spec CommandSpec commandSpec;

    @Mixin KafkaConnectionOptions kafka;

    @Option(
            names = {"-d", "--dir"},
            paramLabel = "DIR",
            description = "A folder of photos, one person each, named after them.")
    Path dir;

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "One photo (named after the person, or give --name).")
    Path file;

    @Option(names = "--name", paramLabel = "NAME", description = "The person's name for --file.")
    String name;

    @Option(
            names = "--delete",
            paramLabel = "NAME",
            description = "Forget a person: sends a tombstone for NAME.")
    String delete;

    @Option(
            names = {"-t", "--topic"},
            defaultValue = FrameWire.TOPIC_FACES,
            description = "Face gallery topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Mixin CompactedTopicOptions publishing;

    @Unmatched List<String> unmatched = new ArrayList<>();

    /** A photo this command refuses before sending anything. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() {
        Map<String, String> kafkaProps = kafka.clientProperties(unmatched);
        OptionChecks checks = new OptionChecks(commandSpec);
        int given = (dir != null ? 1 : 0) + (file != null ? 1 : 0) + (delete != null ? 1 : 0);
        checks.require(given == 1, "Give one of --dir DIR, --file FILE or --delete NAME");
        checks.require(name == null || file != null, "--name goes with --file");
        publishing.check(checks);
        PrintWriter out = commandSpec.commandLine().getOut();
        PrintWriter err = commandSpec.commandLine().getErr();
        List<Publication> plan;
        try {
            plan = plan();
        } catch (Refused e) {
            err.println("Refused: " + e.getMessage());
            err.println("Nothing was sent.");
            err.flush();
            return REFUSED;
        } catch (IOException e) {
            err.println("Cannot read " + (dir != null ? dir : file) + ": " + e);
            err.flush();
            return REFUSED;
        }
        try {
            if (publishing.dryRun()) {
                plan.forEach(p -> out.println("valid " + p.shown()));
                out.println("Dry run: nothing was sent to " + topic + ".");
                return 0;
            }
            CompactedTopicPublisher publisher =
                    publishing.publisher(kafka, kafkaProps, topic, "frameflow-faces", "photos");
            if (!publisher.topicReady(err)) {
                return 1;
            }
            return publisher.publish(plan, out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The records to send, every photo checked; Refused for the first bad one. */
    List<Publication> plan() throws IOException, Refused {
        List<Publication> plan = new ArrayList<>();
        if (delete != null) {
            plan.add(new Publication(checkName(delete), null, "'" + delete + "' (tombstone)"));
        } else if (file != null) {
            plan.add(photo(name != null ? name : baseName(file), file));
        } else {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    if (Files.isRegularFile(f) && baseName(f) != null) {
                        plan.add(photo(baseName(f), f));
                    }
                }
            }
            if (plan.isEmpty()) {
                throw new Refused(dir + " has no .jpg, .jpeg or .png photos");
            }
        }
        return plan;
    }

    private static Publication photo(String person, Path f) throws IOException, Refused {
        if (person == null) {
            throw new Refused(f + " is not a .jpg, .jpeg or .png file: give --name");
        }
        checkName(person);
        byte[] bytes = Files.readAllBytes(f);
        ImageInfo info = ImageProbe.header(bytes);
        if (info == null) {
            throw new Refused(f + " is not a readable JPEG or PNG");
        }
        if (bytes.length > MAX_PHOTO_BYTES) {
            throw new Refused(
                    f
                            + " is "
                            + bytes.length / 1024
                            + " KiB: a stock broker takes at most 1 MiB per record; scale it down"
                            + " (a face 200 pixels wide is plenty)");
        }
        return new Publication(
                person,
                bytes,
                String.format(
                        Locale.ROOT,
                        "'%s' (%s, %dx%d, %d KiB)",
                        person,
                        f.getFileName(),
                        info.width(),
                        info.height(),
                        (bytes.length + 1023) / 1024));
    }

    /** The file name without a photo ending, or null for other files. */
    static String baseName(Path f) {
        String n = f.getFileName().toString();
        String lower = n.toLowerCase(Locale.ROOT);
        for (String ending : List.of(".jpg", ".jpeg", ".png")) {
            if (lower.endsWith(ending) && n.length() > ending.length()) {
                return n.substring(0, n.length() - ending.length());
            }
        }
        return null;
    }

    private static String checkName(String n) throws Refused {
        String s = n.strip();
        if (s.isEmpty()
                || s.length() > MAX_NAME_LENGTH
                || s.chars().anyMatch(Character::isISOControl)) {
            throw new Refused(
                    "'"
                            + n
                            + "': a name must be 1 to "
                            + MAX_NAME_LENGTH
                            + " printable characters");
        }
        return s;
    }
}
