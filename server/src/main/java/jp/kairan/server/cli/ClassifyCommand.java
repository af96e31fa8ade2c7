package jp.kairan.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import jp.kairan.protocol.Json;
import jp.kairan.protocol.api.PolicyTermsRequest;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.policy.Classification;
import jp.kairan.server.policy.Classifier;
import jp.kairan.server.policy.Finding;
import jp.kairan.server.policy.ImportanceClass;
import jp.kairan.server.policy.Terms;
import jp.kairan.server.ceiling.OrgTerms;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code classify}: JSON lines {@code {"id": …, "text": …}} on standard input, one verdict line per input on standard
 * output, with the default policy (ceiling II, no emergency, built-in dictionaries) unless told otherwise. For
 * admins trying their dictionaries; needs no database and no configuration.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify JSON lines {\"id\",\"text\"} from standard input; print {\"id\",\"verdict\",\"class\",\"findings\"} per line.")
public final class ClassifyCommand implements Callable<Integer> {
    @Option(names = "--terms", description = "A JSON file like the body of PUT /api/v1/orgs/{orgId}/policy/terms, added to the built-in dictionaries.")
    Path termsFile;

    @Option(names = "--ceiling", description = "The room ceiling to apply: I, II, III or IV (default ${DEFAULT-VALUE}).", defaultValue = "II")
    String ceiling;

    @Override
    public Integer call() throws IOException {
        ImportanceClass c = ImportanceClass.parse(ceiling).orElse(null);
        if (c == null) {
            System.err.println("--ceiling must be I, II, III or IV");
            return 2;
        }
        Classifier classifier;
        try {
            classifier = classifier(termsFile);
        } catch (KairanException | IOException e) {
            System.err.println("--terms: " + e.getMessage());
            return 2;
        }
        Writer out = new BufferedWriter(new OutputStreamWriter(new java.io.FileOutputStream(java.io.FileDescriptor.out), StandardCharsets.UTF_8));
        run(new InputStreamReader(System.in, StandardCharsets.UTF_8), out, classifier, c);
        out.flush();
        return 0;
    }

    static Classifier classifier(Path termsFile) throws IOException {
        if (termsFile == null) {
            return Classifier.defaults();
        }
        PolicyTermsRequest req = Json.mapper().readValue(Files.readString(termsFile), PolicyTermsRequest.class);
        List<Terms.Term> terms = OrgTerms.parseAll(req.terms() == null ? List.of() : req.terms());
        return new Classifier(Terms.builtIn().withOrgTerms(terms));
    }

    /** Classifies every line of {@code in} into {@code out}. */
    static void run(Reader in, Writer out, Classifier classifier, ImportanceClass ceiling) throws IOException {
        ObjectMapper json = Json.mapper();
        BufferedReader lines = new BufferedReader(in);
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            out.write(json.writeValueAsString(answer(json, line, classifier, ceiling)));
            out.write('\n');
        }
    }

    private static ObjectNode answer(ObjectMapper json, String line, Classifier classifier, ImportanceClass ceiling) {
        ObjectNode answer = json.createObjectNode();
        JsonNode input;
        try {
            input = json.readTree(line);
        } catch (IOException e) {
            return answer.putNull("id").put("error", "not JSON");
        }
        JsonNode id = input == null ? null : input.get("id");
        if (id == null || id.isNull() || id.isContainerNode()) {
            answer.putNull("id");
        } else {
            answer.put("id", id.asText());
        }
        JsonNode text = input == null ? null : input.get("text");
        if (!(input instanceof ObjectNode) || text == null || !text.isTextual()) {
            return answer.put("error", "expected an object with a string \"text\"");
        }
        Classification c = classifier.classify(text.asText());
        Classification.Decision d = c.decide(ceiling);
        answer.put("verdict", d.verdict().name().toLowerCase(java.util.Locale.ROOT));
        answer.put("class", d.importance().wireName());
        ArrayNode findings = answer.putArray("findings");
        for (Finding f : d.causes().isEmpty() ? c.findings() : d.causes()) {
            findings.addObject().put("detector", f.detector()).put("excerpt", f.excerpt());
        }
        return answer;
    }

    /** For tests: classifies {@code input} with the defaults. */
    static String classify(String input) {
        try {
            java.io.StringWriter out = new java.io.StringWriter();
            run(new java.io.StringReader(input), out, Classifier.defaults(), ImportanceClass.II);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
