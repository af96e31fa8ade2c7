package jp.kairan.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of {@code block} on the labelled corpora ({@code policy/CORPUS.md}): the two development sets
 * the detectors were tuned on, and the held-out sets that were written apart and are only ever measured (their
 * misses are never printed).
 */
class ClassifierCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Sample(String id, String text, String expected) {
    }

    record Score(int samples, int truePositives, int falsePositives, int falseNegatives, int agreed, List<String> misses) {
        double precision() {
            return truePositives + falsePositives == 0 ? 1 : (double) truePositives / (truePositives + falsePositives);
        }

        double recall() {
            return truePositives + falseNegatives == 0 ? 1 : (double) truePositives / (truePositives + falseNegatives);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d samples: block precision %.3f recall %.3f (tp %d, fp %d, fn %d); all three verdicts agree on %d (%.1f%%)",
                    samples, precision(), recall(), truePositives, falsePositives, falseNegatives, agreed, 100.0 * agreed / samples);
        }
    }

    static List<Sample> load(String resource) throws IOException {
        List<Sample> samples = new ArrayList<>();
        try (InputStream in = ClassifierCorpusTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    JsonNode n = JSON.readTree(line);
                    samples.add(new Sample(n.get("id").asText(), n.get("text").asText(), n.get("expected").asText()));
                }
            }
        }
        return samples;
    }

    static Score score(List<Sample> samples) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int agreed = 0;
        List<String> misses = new ArrayList<>();
        for (Sample s : samples) {
            String got = Classifier.defaults().classify(s.text()).decide(ImportanceClass.II).verdict().name().toLowerCase(Locale.ROOT);
            boolean expectBlock = s.expected().equals("block");
            boolean gotBlock = got.equals("block");
            tp += expectBlock && gotBlock ? 1 : 0;
            fp += !expectBlock && gotBlock ? 1 : 0;
            fn += expectBlock && !gotBlock ? 1 : 0;
            if (got.equals(s.expected())) {
                agreed++;
            } else {
                misses.add(s.id() + " expected " + s.expected() + " got " + got);
            }
        }
        return new Score(samples.size(), tp, fp, fn, agreed, misses);
    }

    @Test
    void developmentSet() throws IOException {
        List<Sample> samples = load("/policy/corpus.jsonl");
        assertThat(samples).hasSizeGreaterThanOrEqualTo(200);
        Score score = score(samples);
        System.out.println("[corpus] development: " + score);
        score.misses().forEach(m -> System.out.println("[corpus]   " + m));
        assertThat(score.precision()).as(score.toString()).isGreaterThanOrEqualTo(0.98);
        assertThat(score.recall()).as(score.toString()).isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void secondDevelopmentSet() throws IOException {
        // Written blind (by someone who had read neither the classifier nor the other sets) and first measured as
        // such: precision 0.986, recall 0.873. Its misses were then studied, so it is a development set now.
        Score score = score(load("/policy/blind.jsonl"));
        System.out.println("[corpus] second development (blind.jsonl): " + score);
        score.misses().forEach(m -> System.out.println("[corpus]   " + m));
        assertThat(score.precision()).as(score.toString()).isGreaterThanOrEqualTo(0.98);
        assertThat(score.recall()).as(score.toString()).isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void thirdDevelopmentSet() throws IOException {
        // Written blind like the second and first measured as such: precision 0.979, recall 0.848 (names the
        // dictionary does not know, hiragana names, pseudonyms with birth dates). Studied since.
        Score score = score(load("/policy/blind2.jsonl"));
        System.out.println("[corpus] third development (blind2.jsonl): " + score);
        score.misses().forEach(m -> System.out.println("[corpus]   " + m));
        assertThat(score.precision()).as(score.toString()).isGreaterThanOrEqualTo(0.98);
        assertThat(score.recall()).as(score.toString()).isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void fourthDevelopmentSet() throws IOException {
        // Written blind and first measured as such: precision 0.990, recall 0.890 (English and romaji cues, cues
        // of care and disability services, slash separators, honorific look-alikes). Studied since.
        Score score = score(load("/policy/blind3.jsonl"));
        System.out.println("[corpus] fourth development (blind3.jsonl): " + score);
        score.misses().forEach(m -> System.out.println("[corpus]   " + m));
        assertThat(score.precision()).as(score.toString()).isGreaterThanOrEqualTo(0.98);
        assertThat(score.recall()).as(score.toString()).isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void fifthDevelopmentSet() throws IOException {
        // Written blind and first measured as such: precision 0.981, recall 0.920 (a keyword in a quoted line,
        // identifiers far from a partial name, diacritics, 記載例). Studied since.
        Score score = score(load("/policy/blind4.jsonl"));
        System.out.println("[corpus] fifth development (blind4.jsonl): " + score);
        score.misses().forEach(m -> System.out.println("[corpus]   " + m));
        assertThat(score.precision()).as(score.toString()).isGreaterThanOrEqualTo(0.98);
        assertThat(score.recall()).as(score.toString()).isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void sixthDevelopmentSet() throws IOException {
        // Written blind and first measured as such: precision 1.000, recall 0.922 (voice input in kana, Hangul
        // names, 高橋 ミツ子, a 電話 that was not a label, · separators). Studied since.
        Score score = score(load("/policy/blind5.jsonl"));
        System.out.println("[corpus] sixth development (blind5.jsonl): " + score);
        score.misses().forEach(m -> System.out.println("[corpus]   " + m));
        assertThat(score.precision()).as(score.toString()).isGreaterThanOrEqualTo(0.98);
        assertThat(score.recall()).as(score.toString()).isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void seventhDevelopmentSet() throws IOException {
        // Written blind and first measured as such: precision 1.000, recall 0.956 (Hangul names before a spaced
        // honorific, ○○さん with a street address, a spaced name before の, underscores in a file name). Studied since.
        Score score = score(load("/policy/blind6.jsonl"));
        System.out.println("[corpus] seventh development (blind6.jsonl): " + score);
        score.misses().forEach(m -> System.out.println("[corpus]   " + m));
        assertThat(score.precision()).as(score.toString()).isGreaterThanOrEqualTo(0.98);
        assertThat(score.recall()).as(score.toString()).isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void secondHeldOutSet() throws IOException {
        // Written last, blind to the classifier and to every other set, and never studied; figures only.
        Score score = score(load("/policy/blind7.jsonl"));
        System.out.println("[corpus] second held out (blind7.jsonl): " + score);
        assertThat(score.precision()).as(score.toString()).isGreaterThanOrEqualTo(0.95);
        assertThat(score.recall()).as(score.toString()).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void heldOutSet() throws IOException {
        Score score = score(load("/policy/holdout.jsonl"));
        // Only the figures are printed: reading the held-out misses would turn it into a second development set.
        System.out.println("[corpus] held out: " + score);
        assertThat(score.precision()).as(score.toString()).isGreaterThanOrEqualTo(0.95);
        assertThat(score.recall()).as(score.toString()).isGreaterThanOrEqualTo(0.90);
    }
}
