package org.calql.io;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The action space a Minari dataset declares, as Minari writes it (read from Minari's own sources):
 * {@code serialize_space} turns a Gymnasium space into a JSON string, e.g.
 * {@code {"type": "Discrete", "dtype": "int64", "start": 0, "n": 3}} or
 * {@code {"type": "Box", "dtype": "float32", "shape": [2], "low": [...], "high": [...]}}. Minari up to 0.4
 * stores that string as the root attribute {@code action_space} of {@code main_data.hdf5}, beside
 * {@code minari_version}, {@code total_episodes}, {@code total_steps} and others; Minari 0.5 and later store the
 * same keys in {@code metadata.json} next to {@code main_data.hdf5} (the space still a JSON string inside it).
 * The root attribute is read first; {@code metadata.json} only for a file named {@code main_data.hdf5} without
 * that attribute.
 */
final class MinariMetadata {
    /** Largest {@code metadata.json} read: Minari's holds a few spaces and specs (an image space's bounds included). */
    static final long MAX_JSON_BYTES = 64L << 20;

    private static final int MAX_DEPTH = 64;

    /** Where the space was read from, for messages: {@code root attribute 'action_space'} or a path. */
    final String where;
    /** The {@code minari_version} next to it, or null. */
    final String minariVersion;
    /** The space's {@code type}: {@code Box}, {@code Discrete}, {@code Dict}, ... */
    final String type;
    /** For a {@code Discrete} space, its {@code n}; else 0. */
    final int n;
    /** For a {@code Discrete} space, its {@code start}; else 0. */
    final long start;

    private MinariMetadata(String where, String minariVersion, String type, int n, long start) {
        this.where = where;
        this.minariVersion = minariVersion;
        this.type = type;
        this.n = n;
        this.start = start;
    }

    boolean isDiscrete() {
        return type.equals("Discrete");
    }

    boolean isBox() {
        return type.equals("Box");
    }

    /** What the space is, for messages: {@code Discrete(3) from root attribute 'action_space' (Minari ~=0.4)}. */
    String describe() {
        String space = isDiscrete() ? "Discrete(" + n + (start == 0 ? "" : ", start=" + start) + ")" : type;
        return space + " in " + where + (minariVersion == null ? "" : " (minari_version " + minariVersion + ")");
    }

    /**
     * The declared action space of a Minari file, or null if it declares none.
     *
     * @throws DatasetFormatException naming the attribute or file if the declaration is not a Minari space
     *     (not a string, not JSON, no {@code type}, a {@code Discrete} space without a valid {@code n})
     */
    static MinariMetadata read(Hdf5Source source) throws DatasetFormatException {
        Path file = source.file();
        Object attribute = source.rootAttribute("action_space");
        if (attribute != null) {
            String where = "root attribute 'action_space'";
            String json = string(file, where, attribute);
            Object version = source.rootAttribute("minari_version");
            String minariVersion = version == null ? null : string(file, "root attribute 'minari_version'", version);
            return parseSpace(file, where, minariVersion, json);
        }
        Path name = file.getFileName();
        Path sidecar = file.toAbsolutePath().resolveSibling("metadata.json");
        if (name == null || !name.toString().equals("main_data.hdf5") || !Files.isRegularFile(sidecar)) {
            return null;
        }
        String where = sidecar.toString();
        String text;
        try {
            long size = Files.size(sidecar);
            if (size > MAX_JSON_BYTES) {
                throw new DatasetFormatException(file, null, "has a Minari " + where + " of " + size + " bytes; "
                        + "at most " + MAX_JSON_BYTES + " are read");
            }
            source.requireHeap(null, 4 * size, where);
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(sidecar))).toString();
        } catch (CharacterCodingException e) {
            throw new DatasetFormatException(file, null, "has a Minari " + where + " that is not UTF-8", e);
        } catch (DatasetFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new DatasetFormatException(file, null, "cannot read its Minari " + where + ": " + e, e);
        }
        Object root = new Json(file, where, text).document();
        if (!(root instanceof Map)) {
            throw new DatasetFormatException(file, null, "has a Minari " + where + " that is not a JSON object");
        }
        Map<?, ?> metadata = (Map<?, ?>) root;
        Object space = metadata.get("action_space");
        if (space == null) {
            return null;
        }
        Object version = metadata.get("minari_version");
        String spaceWhere = "'action_space' of " + where;
        return parseSpace(file, spaceWhere, version instanceof String ? (String) version : null,
                string(file, spaceWhere, space));
    }

    private static String string(Path file, String where, Object value) throws DatasetFormatException {
        if (value instanceof String[] && ((String[]) value).length == 1) {
            value = ((String[]) value)[0];
        }
        if (!(value instanceof String)) {
            throw new DatasetFormatException(file, null, "has a Minari " + where + " of type "
                    + value.getClass().getSimpleName() + "; Minari writes it as a string (JSON)");
        }
        return (String) value;
    }

    private static MinariMetadata parseSpace(Path file, String where, String version, String json)
            throws DatasetFormatException {
        Object parsed = new Json(file, where, json).document();
        String rule = "; Minari's serialize_space writes a JSON object with a 'type'";
        if (!(parsed instanceof Map)) {
            throw new DatasetFormatException(file, null, "has a Minari " + where + " that is not a JSON object" + rule);
        }
        Map<?, ?> space = (Map<?, ?>) parsed;
        if (!(space.get("type") instanceof String)) {
            throw new DatasetFormatException(file, null, "has a Minari " + where + " without a string 'type'" + rule);
        }
        String type = (String) space.get("type");
        if (!type.equals("Discrete")) {
            return new MinariMetadata(where, version, type, 0, 0);
        }
        BigDecimal n = number(file, where, space, "n");
        BigDecimal start = space.containsKey("start") ? number(file, where, space, "start") : BigDecimal.ZERO;
        if (n.signum() <= 0 || n.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE - 8)) > 0) {
            throw new DatasetFormatException(file, null, "has a Minari " + where + " declaring Discrete n = "
                    + n.toPlainString() + "; a Discrete space needs 1 to " + (Integer.MAX_VALUE - 8) + " actions");
        }
        if (start.abs().compareTo(BigDecimal.valueOf(1L << 53)) > 0) {
            throw new DatasetFormatException(file, null, "has a Minari " + where + " declaring Discrete start = "
                    + start.toPlainString() + "; the start must lie within ±2^53");
        }
        return new MinariMetadata(where, version, type, n.intValueExact(), start.longValueExact());
    }

    private static BigDecimal number(Path file, String where, Map<?, ?> space, String key)
            throws DatasetFormatException {
        Object value = space.get(key);
        if (value instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) value;
            try {
                return new BigDecimal(d.toBigIntegerExact());
            } catch (ArithmeticException e) {
                // falls through to the error below
            }
        }
        throw new DatasetFormatException(file, null, "has a Minari " + where + " whose Discrete '" + key + "' is "
                + (value == null ? "missing" : "'" + value + "'") + "; Minari writes an integer");
    }

    /** A strict JSON parser (RFC 8259) to maps, lists, strings, {@link BigDecimal}s, booleans and null. */
    private static final class Json {
        private final Path file;
        private final String where;
        private final String text;
        private int pos;

        Json(Path file, String where, String text) {
            this.file = file;
            this.where = where;
            this.text = text;
        }

        Object document() throws DatasetFormatException {
            Object value = value(0);
            skipSpace();
            if (pos != text.length()) {
                throw error("unexpected text after the JSON value");
            }
            return value;
        }

        private DatasetFormatException error(String what) {
            return new DatasetFormatException(file, null, "has a Minari " + where + " that is not valid JSON: " + what
                    + " at character " + pos);
        }

        private void skipSpace() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private Object value(int depth) throws DatasetFormatException {
            if (depth > MAX_DEPTH) {
                throw error("nested more than " + MAX_DEPTH + " deep");
            }
            skipSpace();
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            char c = text.charAt(pos);
            switch (c) {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    // Python's json.dumps writes NaN and Infinity for non-finite floats (e.g. a Box's bounds)
                    if (text.startsWith("NaN", pos) || text.startsWith("Infinity", pos)) {
                        return literal(text.startsWith("NaN", pos) ? "NaN" : "Infinity", null);
                    }
                    throw error("unexpected character '" + c + "'");
            }
        }

        private Object literal(String word, Object value) throws DatasetFormatException {
            if (!text.startsWith(word, pos)) {
                throw error("expected '" + word + "'");
            }
            pos += word.length();
            return value;
        }

        private Map<String, Object> object(int depth) throws DatasetFormatException {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipSpace();
                if (pos >= text.length() || text.charAt(pos) != '"') {
                    throw error("expected a string key");
                }
                String key = string();
                skipSpace();
                expect(':');
                map.put(key, value(depth + 1));
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect('}');
                return map;
            }
        }

        private List<Object> array(int depth) throws DatasetFormatException {
            List<Object> list = new ArrayList<>();
            pos++;
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value(depth + 1));
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect(']');
                return list;
            }
        }

        private void expect(char c) throws DatasetFormatException {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private String string() throws DatasetFormatException {
            pos++;
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= text.length()) {
                    throw error("unterminated escape");
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"':
                    case '\\':
                    case '/':
                        out.append(e);
                        break;
                    case 'b':
                        out.append('\b');
                        break;
                    case 'f':
                        out.append('\f');
                        break;
                    case 'n':
                        out.append('\n');
                        break;
                    case 'r':
                        out.append('\r');
                        break;
                    case 't':
                        out.append('\t');
                        break;
                    case 'u':
                        if (pos + 4 > text.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException x) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                        break;
                    default:
                        throw error("bad escape '\\" + e + "'");
                }
            }
        }

        private BigDecimal number() throws DatasetFormatException {
            int begin = pos;
            if (text.startsWith("-Infinity", pos)) {
                pos += "-Infinity".length();
                return null;
            }
            while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            String lexeme = text.substring(begin, pos);
            if (lexeme.length() > 400) {
                throw error("a number of " + lexeme.length() + " characters");
            }
            try {
                BigDecimal value = new BigDecimal(lexeme);
                if (Math.abs((long) value.scale()) > 400) {
                    throw error("number '" + lexeme + "' out of range");
                }
                return value;
            } catch (NumberFormatException e) {
                throw error("bad number '" + lexeme + "'");
            }
        }
    }
}
