package jp.kairan.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks that the three descriptions of the v1 frames agree: the records, the JSON Schemas in
 * {@code v1/schemas/} and the canonical examples in {@code v1/examples/} (and the examples in PROTOCOL.md).
 */
class FrameSchemaTest {
    private static final String V1 = "jp/kairan/protocol/v1/";
    private static final String ID_BASE = "https://kairan.jp/protocol/v1/";
    private static final String SCHEMA_SUFFIX = ".schema.json";
    private static final String COMMON = "common";

    private static final ObjectMapper JSON = Json.mapper();
    private static final Map<String, Class<?>> CLIENT = recordsByType(ClientMessage.class);
    private static final Map<String, Class<?>> SERVER = recordsByType(ServerMessage.class);

    private static SchemaRegistry registry;

    @BeforeAll
    static void loadSchemas() {
        // $ids are https://kairan.jp/protocol/v1/<type>.schema.json; the files are on the classpath. Format
        // assertions are off by default from draft 2019-09 on; turn them on so date-time is checked too.
        registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaIdResolvers(ids -> ids.mapPrefix(ID_BASE, "classpath:" + V1 + "schemas/"))
                .schemaRegistryConfig(SchemaRegistryConfig.builder()
                        .formatAssertionsEnabled(true)
                        .locale(Locale.ENGLISH)
                        .build()));
    }

    // ---------------------------------------------------------------- every record, every file

    @Test
    void everyFrameRecordIsRegisteredWithJacksonUnderItsType() {
        assertThat(CLIENT).hasSize(12);
        assertThat(SERVER).hasSize(19);
        assertThat(subTypeNames(ClientMessage.class)).isEqualTo(CLIENT);
        assertThat(subTypeNames(ServerMessage.class)).isEqualTo(SERVER);
    }

    @Test
    void everyFrameRecordHasASchemaAndAnExampleAndNothingElseIsThere() {
        Set<String> types = new HashSet<>(CLIENT.keySet());
        types.addAll(SERVER.keySet());
        assertThat(types).hasSize(CLIENT.size() + SERVER.size());

        Set<String> schemas = resourceNames("schemas", SCHEMA_SUFFIX);
        assertThat(schemas).contains(COMMON);
        schemas.remove(COMMON);
        assertThat(schemas).as("schemas/<type>.schema.json").isEqualTo(types);
        assertThat(resourceNames("examples", ".json")).as("examples/<type>.json").isEqualTo(types);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void schemaDescribesItsFrame(String type) {
        JsonNode schema = resource("schemas/" + type + SCHEMA_SUFFIX);
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("$id").asText()).isEqualTo(ID_BASE + type + SCHEMA_SUFFIX);
        assertThat(schema.path("title").asText()).isNotBlank();
        assertThat(schema.path("description").asText()).isNotBlank();
        assertThat(schema.path("$comment").asText()).startsWith("v1: ");
        assertThat(schema.path("type").asText()).isEqualTo("object");
        assertThat(schema.at("/properties/type/const").asText()).isEqualTo(type);
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(n -> required.add(n.asText()));
        assertThat(required).contains("type");
        // Receivers ignore unknown fields: that is how v1 grows. A schema must not forbid them.
        assertThat(schema.has("additionalProperties")).as("additionalProperties").isFalse();
        assertThat(schema.has("unevaluatedProperties")).as("unevaluatedProperties").isFalse();

        // Every record component is described, and only those (plus "type").
        Set<String> components = Arrays.stream(recordOf(type).getRecordComponents())
                .map(RecordComponent::getName)
                .collect(Collectors.toCollection(HashSet::new));
        components.add("type");
        assertThat(fieldNames(schema.path("properties"))).isEqualTo(components);
        if (SERVER.containsKey(type)) {
            // The server writes every component (nulls included), so a client may rely on each being there.
            assertThat(required).containsExactlyInAnyOrderElementsOf(components);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void exampleValidatesAgainstItsSchema(String type) {
        assertThat(errors(type, resourceText("examples/" + type + ".json"))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void exampleRoundTripsThroughItsRecord(String type) throws IOException {
        String text = resourceText("examples/" + type + ".json");
        JsonNode example = JSON.readTree(text);
        assertThat(example.path("type").asText()).isEqualTo(type);

        Object frame = read(type, text);
        assertThat(frame).isInstanceOf(recordOf(type));

        JsonNode written = JSON.readTree(JSON.writeValueAsString(frame));
        if (CLIENT.containsKey(type)) {
            // A client may leave an absent optional field out instead of sending null.
            written = withoutNulls(written);
        } else {
            // The server writes every component, nulls included: the example must show them all.
            assertThat(fieldNames(example)).isEqualTo(fieldNames(written));
        }
        assertThat(written).isEqualTo(example);
    }

    // ---------------------------------------------------------------- error codes

    @Test
    void errorCodeEnumIsEveryErrorCode() {
        Set<String> documented = new HashSet<>();
        resource("schemas/common.schema.json").at("/$defs/errorCode/enum").forEach(n -> documented.add(n.asText()));
        Set<String> defined = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet());
        assertThat(documented).isEqualTo(defined);
        assertThat(resource("schemas/error.schema.json").at("/properties/code/$ref").asText())
                .isEqualTo("common.schema.json#/$defs/errorCode");
    }

    @Test
    void everyErrorCodeMakesAValidErrorFrame() throws IOException {
        for (ErrorCode code : ErrorCode.values()) {
            String frame = JSON.writeValueAsString(ErrorReply.of("x9", code, null));
            assertThat(errors(ErrorReply.TYPE, frame)).as(code.code()).isEmpty();
            assertThat(JSON.readValue(frame, ServerMessage.class)).isEqualTo(ErrorReply.of("x9", code, null));
        }
    }

    // ---------------------------------------------------------------- schema and records agree on the rules

    /** Frames both the schema and the record's constructor refuse. */
    static Stream<Arguments> invalidFrames() {
        return Stream.of(
                frame("message.send", "without id", f -> f.remove("id")),
                frame("message.send", "id of 65 characters", f -> f.put("id", "x".repeat(65))),
                frame("message.send", "empty id", f -> f.put("id", "")),
                frame("message.send", "id null", f -> f.putNull("id")),
                frame("message.send", "text of 10001 characters", f -> f.put("text", "あ".repeat(10_001))),
                frame("message.send", "empty text", f -> f.put("text", "")),
                frame("message.send", "blank text", f -> f.put("text", " \u3000\t\n\u2028")),
                frame("message.send", "without text", f -> f.remove("text")),
                frame("message.send", "roomId abc", f -> f.put("roomId", "abc")),
                frame("message.send", "roomId with a leading zero", f -> f.put("roomId", "0590372839467008001")),
                frame("message.send", "roomId 0", f -> f.put("roomId", "0")),
                frame("message.send", "roomId of 20 digits", f -> f.put("roomId", "12345678901234567890")),
                frame("message.send", "roomId negative", f -> f.put("roomId", "-5")),
                frame("message.send", "without roomId", f -> f.remove("roomId")),
                frame("message.send", "replyTo abc", f -> f.put("replyTo", "abc")),
                frame("message.send", "101 mentions", f -> f.set("mentions", ids(101))),
                frame("message.send", "mention abc", f -> f.set("mentions", f.arrayNode().add("abc"))),
                frame("message.send", "mention null", f -> f.set("mentions", f.arrayNode().addNull())),
                frame("message.edit", "text of 10001 characters", f -> f.put("text", "会".repeat(10_001))),
                frame("message.edit", "messageId abc", f -> f.put("messageId", "abc")),
                frame("message.delete", "without messageId", f -> f.remove("messageId")),
                frame("message.sync", "afterSeq -1", f -> f.put("afterSeq", -1)),
                frame("message.sync", "limit 0", f -> f.put("limit", 0)),
                frame("message.sync", "limit 501", f -> f.put("limit", 501)),
                frame("message.history", "beforeSeq 0", f -> f.put("beforeSeq", 0)),
                frame("message.history", "limit 501", f -> f.put("limit", 501)),
                frame("receipt.read", "seq 0", f -> f.put("seq", 0)),
                frame("reaction.add", "emoji with a space", f -> f.put("emoji", "👍 ")),
                frame("reaction.add", "emoji with an ideographic space", f -> f.put("emoji", "\u3000👍")),
                frame("reaction.add", "emoji with a control character", f -> f.put("emoji", "👍\u0085")),
                frame("reaction.add", "emoji of 33 characters", f -> f.put("emoji", "x".repeat(33))),
                frame("reaction.remove", "empty emoji", f -> f.put("emoji", "")),
                frame("typing.start", "roomId abc", f -> f.put("roomId", "abc")),
                frame("presence.set", "unknown status", f -> f.put("status", "busy")),
                frame("presence.set", "status offline (the server's to say)", f -> f.put("status", "offline")),
                frame("presence.set", "without status", f -> f.remove("status")),
                frame("session.authenticate", "empty token", f -> f.put("token", "")),
                frame("session.authenticate", "blank token", f -> f.put("token", "   ")),
                frame("session.authenticate", "token of 4097 characters", f -> f.put("token", "e".repeat(4097))));
    }

    /** Frames that Jackson itself refuses before a constructor runs (a missing primitive, an unknown enum). */
    static Stream<Arguments> unreadableFrames() {
        return Stream.of(
                frame("message.sync", "without afterSeq", f -> f.remove("afterSeq")),
                frame("message.sync", "afterSeq null", f -> f.putNull("afterSeq")),
                frame("receipt.read", "without seq", f -> f.remove("seq")),
                frame("message.send", "without type", f -> f.remove("type")),
                frame("error", "unknown code", f -> f.put("code", "no_such_code")),
                frame("message.ack", "without seq", f -> f.remove("seq")),
                frame("session.ready", "without maxFrameBytes", f -> f.remove("maxFrameBytes")));
    }

    /** Frames at the limits, or with optional fields null, that both accept. */
    static Stream<Arguments> validFrames() {
        return Stream.of(
                frame("message.send", "id of 64 characters", f -> f.put("id", "x".repeat(64))),
                frame("message.send", "text of 10000 characters", f -> f.put("text", "あ".repeat(10_000))),
                frame("message.send", "text of one no-break space", f -> f.put("text", "\u00a0")),
                frame("message.send", "roomId of 19 digits", f -> f.put("roomId", "9223372036854775807")),
                frame("message.send", "100 mentions", f -> f.set("mentions", ids(100))),
                frame("message.send", "optional fields null",
                        f -> f.putNull("replyTo").putNull("mentions").putNull("mentionAll")),
                frame("message.send", "optional fields absent",
                        f -> f.without(List.of("replyTo", "mentions", "mentionAll"))),
                frame("message.send", "an unknown field", f -> f.put("priority", "high")),
                frame("message.sync", "afterSeq 0 and no limit", f -> f.put("afterSeq", 0).remove("limit")),
                frame("message.sync", "limit 500", f -> f.put("limit", 500)),
                frame("message.sync", "limit 1", f -> f.put("limit", 1)),
                frame("message.history", "beforeSeq and limit null", f -> f.putNull("beforeSeq").putNull("limit")),
                frame("receipt.read", "seq 1", f -> f.put("seq", 1)),
                frame("reaction.add", "emoji ZWJ sequence", f -> f.put("emoji", "👨\u200d👩\u200d👧")),
                frame("reaction.add", "emoji of 32 characters", f -> f.put("emoji", "x".repeat(32))),
                frame("presence.set", "status online", f -> f.put("status", "online")),
                frame("session.authenticate", "token of 4096 characters", f -> f.put("token", "e".repeat(4096))),
                frame("error", "re null (an unreadable frame)", f -> f.putNull("re")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidFrames")
    void schemaAndRecordConstructorBothRefuse(String type, String what, String frame) {
        assertThat(errors(type, frame)).as("schema errors").isNotEmpty();
        assertThatThrownBy(() -> read(type, frame))
                .isInstanceOf(JsonProcessingException.class)
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("unreadableFrames")
    void schemaAndJacksonBothRefuse(String type, String what, String frame) {
        assertThat(errors(type, frame)).as("schema errors").isNotEmpty();
        assertThatThrownBy(() -> read(type, frame)).isInstanceOf(JsonProcessingException.class);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("validFrames")
    void schemaAndRecordBothAccept(String type, String what, String frame) throws IOException {
        assertThat(errors(type, frame)).isEmpty();
        assertThat(read(type, frame)).isInstanceOf(recordOf(type));
    }

    /**
     * The one known difference: JSON Schema's maxLength counts code points, the records count UTF-16 code units
     * (String.length, like JavaScript). Outside the Basic Multilingual Plane (most emoji) the record is stricter.
     */
    @Test
    void lengthsDifferOnlyOutsideTheBasicMultilingualPlane() {
        String bmp = frameText("message.send", f -> f.put("text", "災".repeat(10_000)));
        assertThat(errors(SendMessage.TYPE, bmp)).isEmpty();
        assertThatCode(() -> read(SendMessage.TYPE, bmp)).doesNotThrowAnyException();

        String emoji = frameText("message.send", f -> f.put("text", "😀".repeat(10_000)));
        assertThat(errors(SendMessage.TYPE, emoji)).isEmpty();
        assertThatThrownBy(() -> read(SendMessage.TYPE, emoji))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }

    /** The schema's white-space class is exactly Java's Character.isWhitespace, which String.isBlank uses. */
    @Test
    void notBlankPatternIsJavasIsBlank() {
        Pattern notBlank = Pattern.compile(commonDef("notBlank").path("pattern").asText());
        List<Integer> disagree = IntStream.rangeClosed(0, Character.MAX_CODE_POINT)
                .filter(cp -> notBlank.matcher(Character.toString(cp)).find() == Character.isWhitespace(cp))
                .boxed()
                .collect(Collectors.toList());
        assertThat(disagree).isEmpty();
    }

    /** The emoji's forbidden characters are exactly those AddReaction refuses. */
    @Test
    void emojiPatternIsAddReactionsRule() {
        Pattern forbidden = Pattern.compile(commonDef("emoji").at("/not/pattern").asText());
        List<Integer> disagree = IntStream.rangeClosed(0, Character.MAX_CODE_POINT)
                .filter(cp -> forbidden.matcher(Character.toString(cp)).find()
                        != (Character.isWhitespace(cp) || Character.isISOControl(cp)))
                .boxed()
                .collect(Collectors.toList());
        assertThat(disagree).isEmpty();
    }

    // ---------------------------------------------------------------- PROTOCOL.md

    @Test
    void protocolMdExamplesAreFrames() throws IOException {
        List<String> lines = jsonBlockAfter("### Examples").lines()
                .filter(line -> !line.isBlank())
                .collect(Collectors.toList());
        assertThat(lines).hasSizeGreaterThanOrEqualTo(5);
        for (String line : lines) {
            String type = JSON.readTree(line).path("type").asText();
            assertThat(recordOf(type)).as(line).isNotNull();
            assertThat(read(type, line)).as(line).isInstanceOf(recordOf(type));
            assertThat(errors(type, line)).as(line).isEmpty();
        }
    }

    @Test
    void protocolMdMessageIsAMessageView() throws IOException {
        String message = jsonBlockAfter("A message (");
        assertThat(JSON.readValue(message, MessageView.class).id()).isNotBlank();
        Schema view = registry.getSchema(SchemaLocation.of(ID_BASE + "common.schema.json#/$defs/messageView"));
        assertThat(view.validate(message, InputFormat.JSON)).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    static Stream<String> types() {
        return Stream.concat(CLIENT.keySet().stream(), SERVER.keySet().stream());
    }

    private static Map<String, Class<?>> recordsByType(Class<?> sealed) {
        Map<String, Class<?>> byType = new TreeMap<>();
        for (Class<?> record : sealed.getPermittedSubclasses()) {
            try {
                String type = (String) record.getField("TYPE").get(null);
                Class<?> previous = byType.put(type, record);
                if (previous != null) {
                    throw new IllegalStateException(type + " names both " + previous + " and " + record);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(record + " has no public TYPE constant", e);
            }
        }
        return byType;
    }

    private static Map<String, Class<?>> subTypeNames(Class<?> sealed) {
        Map<String, Class<?>> names = new HashMap<>();
        for (JsonSubTypes.Type t : sealed.getAnnotation(JsonSubTypes.class).value()) {
            names.put(t.name(), t.value());
        }
        return names;
    }

    private static Class<?> recordOf(String type) {
        return CLIENT.containsKey(type) ? CLIENT.get(type) : SERVER.get(type);
    }

    /** Reads a frame as the server (client frames) or a client (server frames) would. */
    private static Object read(String type, String frame) throws IOException {
        Class<?> base = CLIENT.containsKey(type) ? ClientMessage.class : ServerMessage.class;
        return JSON.readValue(frame, base);
    }

    private static List<Error> errors(String type, String frame) {
        Schema schema = registry.getSchema(SchemaLocation.of(ID_BASE + type + SCHEMA_SUFFIX));
        return schema.validate(frame, InputFormat.JSON);
    }

    /** A case: the type's example with one change. */
    private static Arguments frame(String type, String what, Consumer<ObjectNode> change) {
        return Arguments.of(type, what, frameText(type, change));
    }

    /** The type's example with one change, as JSON text. */
    private static String frameText(String type, Consumer<ObjectNode> change) {
        try {
            ObjectNode frame = (ObjectNode) JSON.readTree(resourceText("examples/" + type + ".json"));
            change.accept(frame);
            return JSON.writeValueAsString(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ArrayNode ids(int count) {
        ArrayNode ids = JsonNodeFactory.instance.arrayNode();
        for (int i = 1; i <= count; i++) {
            ids.add(String.valueOf(590372839467004000L + i));
        }
        return ids;
    }

    private static JsonNode withoutNulls(JsonNode node) {
        ObjectNode copy = node.deepCopy();
        copy.remove(node.properties().stream()
                .filter(e -> e.getValue().isNull())
                .map(Map.Entry::getKey)
                .collect(Collectors.toList()));
        return copy;
    }

    private static Set<String> fieldNames(JsonNode node) {
        return node.properties().stream().map(Map.Entry::getKey).collect(Collectors.toCollection(HashSet::new));
    }

    private static JsonNode commonDef(String name) {
        return resource("schemas/common.schema.json").path("$defs").path(name);
    }

    private static Set<String> resourceNames(String dir, String suffix) {
        URL url = FrameSchemaTest.class.getClassLoader().getResource(V1 + dir);
        assertThat(url).as(V1 + dir).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            List<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toList());
            assertThat(names).as("files in " + dir).allMatch(n -> n.endsWith(suffix));
            return names.stream()
                    .map(n -> n.substring(0, n.length() - suffix.length()))
                    .collect(Collectors.toCollection(HashSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resourceText(String name) {
        try (InputStream in = FrameSchemaTest.class.getClassLoader().getResourceAsStream(V1 + name)) {
            assertThat(in).as(V1 + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode resource(String name) {
        try {
            return JSON.readTree(resourceText(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first ```json block after the line that starts with {@code heading} in PROTOCOL.md. */
    private static String jsonBlockAfter(String heading) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("PROTOCOL.md"), StandardCharsets.UTF_8);
        int at = 0;
        while (at < lines.size() && !lines.get(at).startsWith(heading)) {
            at++;
        }
        assertThat(at).as("PROTOCOL.md has " + heading).isLessThan(lines.size());
        while (at < lines.size() && !lines.get(at).equals("```json")) {
            at++;
        }
        StringBuilder block = new StringBuilder();
        for (at++; at < lines.size() && !lines.get(at).equals("```"); at++) {
            block.append(lines.get(at)).append('\n');
        }
        return block.toString();
    }
}
