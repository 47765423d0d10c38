package io.frameflow.producer;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, a bare number of seconds, or ISO-8601.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            char unit = v.charAt(v.length() - 1);
            String num = Character.isDigit(unit) ? v : v.substring(0, v.length() - 1).trim();
            double amount = Double.parseDouble(num);
            double millis =
                    switch (unit) {
                        case 'h' -> amount * 3_600_000;
                        case 'm' -> amount * 60_000;
                        case 's' -> amount * 1000;
                        default -> {
                            if (Character.isDigit(unit)) {
                                yield amount * 1000;
                            }
                            throw new NumberFormatException();
                        }
                    };
            if (millis < 0) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(Math.round(millis));
        } catch (RuntimeException e) {
            throw new TypeConversionException(
                    "'" + value + "' is not a duration (examples: 500ms, 30s, 2m, 1h, PT1M30S)");
        }
    }
}
