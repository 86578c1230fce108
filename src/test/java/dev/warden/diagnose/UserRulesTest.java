package dev.warden.diagnose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules from WARDEN_HOME/rules.d and from the spec: the good ones work, the broken ones are named and skipped. */
class UserRulesTest {

    @TempDir
    Path rulesDir;

    private final List<String> warnings = new ArrayList<>();

    @Test
    void aUserRuleFileAddsARuleThatClassifies() throws IOException {
        Files.writeString(rulesDir.resolve("team.yaml"), """
                rules:
                  - id: dataset-bucket-gone
                    category: network
                    patterns:
                      - literal: "NoSuchBucket"
                    retryable: false
                    suggestion: The dataset bucket was deleted; point data.url at the new bucket.
                """);

        Diagnoser d = Diagnoser.load(rulesDir, List.of(), warnings::add);
        Verdict v = d.classifyText("botocore.errorfactory.NoSuchBucket: An error occurred (NoSuchBucket)\n", ExitInfo.code(1));

        assertThat(warnings).isEmpty();
        assertThat(v.ruleId()).isEqualTo("dataset-bucket-gone");
        assertThat(v.retryable()).isFalse();
        assertThat(v.action()).isEqualTo(new Action.Stop());
        assertThat(v.suggestion()).contains("bucket was deleted");
    }

    @Test
    void brokenRulesAreReportedWithFileAndLineAndTheOthersStillLoad() throws IOException {
        Files.writeString(rulesDir.resolve("mixed.yaml"), """
                rules:
                  - id: good-one
                    category: disk_full
                    patterns: ["quota exhausted for project"]
                  - id: bad-regex
                    category: network
                    patterns:
                      - regex: "Connection (refused"
                  - id: bad-category
                    category: gremlins
                    patterns: ["a gremlin ate it"]
                  - id: contradiction
                    category: network
                    retryable: false
                    action: retry
                    patterns: ["peer went away quietly"]
                  - id: typo-key
                    category: network
                    pattern: ["singular is wrong"]
                  - just a string
                """);

        Diagnoser d = Diagnoser.load(rulesDir, List.of(), warnings::add);

        String file = rulesDir.resolve("mixed.yaml").toString();
        assertThat(warnings).hasSize(5);
        assertThat(warnings.get(0)).startsWith(file + ":8: rule 'bad-regex': patterns[0]: invalid regex 'Connection (refused'").endsWith("rule skipped");
        assertThat(warnings.get(1)).startsWith(file + ":10: rule 'bad-category': unknown category 'gremlins'");
        assertThat(warnings.get(2)).startsWith(file + ":14: rule 'contradiction': 'retryable: false' contradicts 'action: retry'");
        assertThat(warnings.get(3)).startsWith(file + ":19: rule 'typo-key': unknown key 'pattern'");
        assertThat(warnings.get(4)).startsWith(file + ":20: a rule is a mapping");
        assertThat(d.classifyText("error: quota exhausted for project ml-123\n", ExitInfo.code(1)).ruleId()).isEqualTo("good-one");
    }

    @Test
    void invalidYamlSkipsThatFileOnlyAndNamesTheLine() throws IOException {
        Files.writeString(rulesDir.resolve("a-broken.yaml"), "rules:\n  - id: x\n    patterns: [unclosed\n");
        Files.writeString(rulesDir.resolve("b-fine.yml"), "- id: fine\n  category: hang\n  patterns: [\"stuck waiting on barrier\"]\n");

        Diagnoser d = Diagnoser.load(rulesDir, List.of(), warnings::add);

        assertThat(warnings).singleElement().satisfies(w ->
                assertThat(w).startsWith(rulesDir.resolve("a-broken.yaml") + ":").contains("not valid YAML").endsWith("file skipped"));
        assertThat(d.classifyText("rank 3 stuck waiting on barrier\n", ExitInfo.unknown()).ruleId()).isEqualTo("fine");
    }

    @Test
    void shortLiteralsAreRefusedBecauseTheyWouldMatchAlmostEverything() throws IOException {
        Files.writeString(rulesDir.resolve("short.yaml"), "rules:\n  - id: tiny\n    category: hang\n    patterns: [\"ab\"]\n");

        Diagnoser.load(rulesDir, List.of(), warnings::add);

        assertThat(warnings).singleElement().satisfies(w -> assertThat(w).contains(":4: rule 'tiny': patterns[0]: literal 'ab' is shorter than 3"));
    }

    @Test
    void specRulesAreLoadedFromPlainMapsAndReportedByIndex() {
        Map<String, Object> good = new LinkedHashMap<>();
        good.put("id", "tokenizer-mismatch");
        good.put("category", "config_mismatch");
        good.put("patterns", List.of(Map.of("regex", "vocab size [0-9]+ does not match [0-9]+")));
        Map<String, Object> bad = Map.of("id", "no-patterns", "category", "network");

        Diagnoser d = Diagnoser.load((Path) null, List.of(bad, good), warnings::add);

        assertThat(warnings).singleElement().satisfies(w -> assertThat(w).startsWith("spec rules[0]: rule 'no-patterns': needs 'patterns:'"));
        assertThat(d.classifyText("ValueError: vocab size 32000 does not match 32001\n", ExitInfo.code(1)).category()).isEqualTo("config_mismatch");
    }

    @Test
    void aUserRuleWithACatalogIdReplacesItAndEnabledFalseRemovesIt() throws IOException {
        Files.writeString(rulesDir.resolve("override.yaml"), """
                rules:
                  - id: no-space-left
                    category: disk_full
                    retryable: true
                    patterns: ["No space left on device"]
                    suggestion: Our cleaner frees space within a minute; retry.
                  - id: peer-connection-lost
                    enabled: false
                """);

        Diagnoser d = Diagnoser.load(rulesDir, List.of(), warnings::add);

        assertThat(warnings).isEmpty();
        Verdict disk = d.classifyText("OSError: [Errno 28] No space left on device\n", ExitInfo.code(1));
        assertThat(disk.retryable()).isTrue();
        assertThat(disk.suggestion()).startsWith("Our cleaner");
        assertThat(d.classifyText("RuntimeError: [../gloo/transport/tcp/pair.cc:598] Connection closed by peer [10.0.0.2]:1234\n",
                ExitInfo.code(1)).category()).isEqualTo("unknown");
    }

    @Test
    void userCategoriesCanBeAddedButBuiltInOnesNotRedefined() throws IOException {
        Files.writeString(rulesDir.resolve("cats.yaml"), """
                categories:
                  preempted:
                    priority: 58
                    retryable: true
                    suggestion: The spot instance was reclaimed; it comes back on another node.
                  cuda_oom:
                    priority: 1
                rules:
                  - id: spot-notice
                    category: preempted
                    patterns: ["instance-action: terminate"]
                """);

        Diagnoser d = Diagnoser.load(rulesDir, List.of(), warnings::add);

        assertThat(warnings).singleElement().satisfies(w -> assertThat(w).contains("category 'cuda_oom' is built in"));
        Verdict v = d.classifyText("metadata: instance-action: terminate\n", ExitInfo.signal(15));
        assertThat(v.category()).isEqualTo("preempted");
        assertThat(v.retryable()).isTrue();
        assertThat(v.action()).isEqualTo(new Action.Retry());
    }

    @Test
    void exitOnlyUserRuleMatchesOnTheStatusAlone() {
        Diagnoser d = Diagnoser.load((Path) null, List.of(Map.of("id", "wrapper-gave-up", "category", "network",
                "exit_codes", List.of(75), "suggestion", "the wrapper ran out of retries")), warnings::add);

        Verdict v = d.classifyText("something\n", ExitInfo.code(75));

        assertThat(warnings).isEmpty();
        assertThat(v.ruleId()).isEqualTo("wrapper-gave-up");
        assertThat(v.evidence().get(0)).isEqualTo(new Evidence(0, "exit status 75"));
    }
}
