package jp.kairan.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks that openapi.yaml agrees with {@link ErrorCode} and with the API's conventions. */
class OpenApiDocumentTest {
    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "patch", "options", "head", "trace");
    private static final String ERROR_REF = "#/components/schemas/Error";

    private static JsonNode doc;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("openapi.yaml")) {
            assertThat(in).as("openapi.yaml on the classpath").isNotNull();
            doc = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    @Test
    void isOpenApi31() {
        assertThat(doc.path("openapi").asText()).startsWith("3.1.");
    }

    @Test
    void errorCodeEnumEqualsErrorCodeValues() {
        Set<String> documented = new HashSet<>();
        doc.at("/components/schemas/Error/properties/code/enum").forEach(n -> documented.add(n.asText()));
        Set<String> defined = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet());
        assertThat(documented).isEqualTo(defined);
    }

    @Test
    void everyPathHasAKnownPrefix() {
        List<String> paths = new ArrayList<>();
        doc.path("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).isNotEmpty().allSatisfy(p -> assertThat(p)
                .matches("^(/api/v1/|/health/|/metrics|/\\.well-known/).*"));
    }

    @Test
    void everyOperationHasAUniqueIdAndAnErrorResponse() {
        Set<String> ids = new HashSet<>();
        for (Map.Entry<String, JsonNode> path : fields(doc.path("paths"))) {
            for (Map.Entry<String, JsonNode> op : fields(path.getValue())) {
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                String where = op.getKey().toUpperCase() + " " + path.getKey();
                String id = op.getValue().path("operationId").asText("");
                assertThat(id).as("operationId of %s", where).isNotEmpty();
                assertThat(ids.add(id)).as("operationId %s is unique", id).isTrue();
                assertThat(errorResponses(op.getValue().path("responses")))
                        .as("4xx/default response of %s referencing Error", where).isNotEmpty();
            }
        }
        assertThat(ids).hasSizeGreaterThan(20);
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(resolve(ref).isMissingNode())
                .as("%s resolves", ref).isFalse());
    }

    @Test
    void securitySchemesAreDpopAndRefreshCookie() {
        JsonNode schemes = doc.at("/components/securitySchemes");
        assertThat(schemes.at("/dpop/scheme").asText()).isEqualTo("dpop");
        assertThat(schemes.has("bearer")).as("bearer tokens are refused").isFalse();
        assertThat(schemes.at("/refreshCookie/in").asText()).isEqualTo("cookie");
        assertThat(schemes.at("/refreshCookie/name").asText()).isEqualTo("kairan_refresh");
    }

    /** The 4xx and default responses of an operation whose JSON body is an Error. */
    private static List<String> errorResponses(JsonNode responses) {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, JsonNode> r : fields(responses)) {
            String status = r.getKey();
            if (!status.startsWith("4") && !status.equals("default")) {
                continue;
            }
            JsonNode response = r.getValue().has("$ref") ? resolve(r.getValue().get("$ref").asText()) : r.getValue();
            if (ERROR_REF.equals(response.at("/content/application~1json/schema/$ref").asText())) {
                found.add(status);
            }
        }
        return found;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject() && node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }

    private static JsonNode resolve(String ref) {
        assertThat(ref).startsWith("#/");
        return doc.at(ref.substring(1));
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        List<Map.Entry<String, JsonNode>> list = new ArrayList<>();
        node.fields().forEachRemaining(list::add);
        return list;
    }
}
