package io.frameflow.operators.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Start-up problems collected from every option group, so that one run names all of them at once
 * instead of one per restart.
 */
public final class Problems {

    private final List<String> messages = new ArrayList<>();

    /** Adds {@code message} unless {@code ok}. */
    public Problems check(boolean ok, String message) {
        if (!ok) {
            messages.add(message);
        }
        return this;
    }

    public Problems add(String message) {
        messages.add(message);
        return this;
    }

    /** An int, long, double or duration option must be above zero. */
    public Problems positive(ReadableConfig config, ConfigOption<?> option) {
        Object v = config.get(option);
        boolean ok = sign(v) > 0;
        return check(ok, "--" + option.key() + " must be > 0, got " + v + ".");
    }

    /** A number or duration option must not be negative. */
    public Problems notNegative(ReadableConfig config, ConfigOption<?> option, String meaning) {
        Object v = config.get(option);
        boolean ok = sign(v) >= 0;
        return check(ok, "--" + option.key() + " must be >= 0" + meaning + ", got " + v + ".");
    }

    /**
     * -1, 0 or 1 for a number or duration (NaN and infinities count as -1); 1 for anything else.
     */
    private static int sign(Object v) {
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return -1;
        }
        if (v instanceof Number n) {
            return (int) Math.signum(n.doubleValue());
        }
        if (v instanceof Duration d) {
            return d.isNegative() ? -1 : d.isZero() ? 0 : 1;
        }
        return 1;
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    /**
     * @throws IllegalArgumentException listing every problem, when there is one
     */
    public void throwIfAny() {
        if (!messages.isEmpty()) {
            throw new IllegalArgumentException(
                    "FrameFlow cannot start:\n  - " + String.join("\n  - ", messages));
        }
    }
}
