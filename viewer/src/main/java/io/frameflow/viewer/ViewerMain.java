package io.frameflow.viewer;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;

/** {@code java -jar frameflow-viewer.jar --bootstrap-servers=HOST:PORT [options]}. */
public final class ViewerMain {

    private ViewerMain() {}

    public static void main(String[] args) throws InterruptedException {
        ViewerOptions options;
        try {
            options = ViewerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("frameflow-viewer: " + e.getMessage());
            System.err.println(ViewerOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(ViewerOptions.USAGE);
            return;
        }
        Viewer viewer;
        try {
            viewer = Viewer.start(options);
        } catch (IOException e) {
            System.err.println(
                    "frameflow-viewer: cannot listen on "
                            + options.host()
                            + ":"
                            + options.port()
                            + " ("
                            + e.getMessage()
                            + "); choose another --port or --host");
            System.exit(1);
            return;
        } catch (KafkaException e) {
            String cause = e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")";
            System.err.println("frameflow-viewer: bad Kafka settings: " + e.getMessage() + cause);
            System.exit(1);
            return;
        }
        String url = viewer.url();
        // never the token itself: this line ends up in logs (the demo's viewer.log, a
        // container's stdout) that more people read than should open the viewer
        System.out.println(
                "FrameFlow viewer: "
                        + url
                        + (options.token() == null
                                ? ""
                                : " (open it with ?token=<your --token>; it is not printed)"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    viewer.close();
                                    stopped.countDown();
                                },
                                "viewer-stop"));
        // a viewer that Kafka refuses (credentials, ACLs) cannot recover: exit and say why
        while (!stopped.await(500, TimeUnit.MILLISECONDS)) {
            if (viewer.kafkaFailure() instanceof ViewerKafkaAccessException refused) {
                System.err.println("frameflow-viewer: " + refused.getMessage());
                System.exit(1);
            }
        }
    }
}
