package io.frameflow.records.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Shared JSON helpers: non-finite numbers as null, required fields with clear errors. */
final class JsonFields {

    private JsonFields() {}

    /**
     * A mapper that keeps JSON decimals exact (BigDecimal) so floats and doubles parse back to the
     * very values that were written. One per serde instance: ObjectMapper is heavy and is never
     * shared statically across operators.
     */
    static ObjectMapper newMapper() {
        return new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    static void writeNumber(JsonGenerator g, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull(); // JSON has no NaN/Infinity
        }
    }

    static void writeNumber(JsonGenerator g, float v) throws IOException {
        if (Float.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull();
        }
    }

    static void writeNumberField(JsonGenerator g, String name, double v) throws IOException {
        g.writeFieldName(name);
        writeNumber(g, v);
    }

    static JsonNode required(JsonNode parent, String field, String what) throws IOException {
        JsonNode n = parent.get(field);
        if (n == null || n.isMissingNode()) {
            throw new IOException(what + " has no field '" + field + "'");
        }
        return n;
    }

    static String text(JsonNode parent, String field, String what) throws IOException {
        JsonNode n = required(parent, field, what);
        if (n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new IOException(what + " field '" + field + "' is not a string: " + n);
        }
        return n.textValue();
    }

    static long longValue(JsonNode parent, String field, String what) throws IOException {
        JsonNode n = required(parent, field, what);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new IOException(what + " field '" + field + "' is not an integer: " + n);
        }
        return n.longValue();
    }

    static int intValue(JsonNode parent, String field, String what) throws IOException {
        JsonNode n = required(parent, field, what);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IOException(what + " field '" + field + "' is not an int: " + n);
        }
        return n.intValue();
    }

    static double doubleValue(JsonNode parent, String field, String what) throws IOException {
        return toDouble(required(parent, field, what), what + " field '" + field + "'");
    }

    static double toDouble(JsonNode n, String what) throws IOException {
        if (n.isNull()) {
            return Double.NaN;
        }
        if (!n.isNumber()) {
            throw new IOException(what + " is not a number: " + n);
        }
        return n.doubleValue();
    }

    static float toFloat(JsonNode n, String what) throws IOException {
        if (n.isNull()) {
            return Float.NaN;
        }
        if (!n.isNumber()) {
            throw new IOException(what + " is not a number: " + n);
        }
        return n.floatValue();
    }
}
