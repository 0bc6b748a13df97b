package dev.beesting.agent.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beesting.agent.detect.AccessAction;
import dev.beesting.agent.standalone.StandaloneConfig.Content;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StandaloneConfigParserTest {

    @Test
    void theShippedSampleIsValid() throws IOException, ConfigException {
        StandaloneConfig config =
                StandaloneConfigParser.parse(Files.readString(Path.of("..", "config", "samples", "standalone.yaml")));

        assertThat(config.tokens()).hasSize(2);
        assertThat(config.tokens().getFirst().content()).isInstanceOf(Content.Template.class);
        assertThat(config.tokens().get(1).mode()).isEqualTo(0400);
    }

    @Test
    void defaultsAreMode0444SeverityHighAndActionAlert() throws ConfigException {
        StandaloneConfig config = StandaloneConfigParser.parse("""
                tokens:
                  - path: /run/x/token
                    content:
                      value: secret
                """);

        assertThat(config.tokens().getFirst().mode()).isEqualTo(0444);
        assertThat(config.tokens().getFirst().content()).isEqualTo(new Content.Value("secret"));
        assertThat(config.severity()).isEqualTo("high");
        assertThat(config.action()).isEqualTo(AccessAction.ALERT);
        assertThat(config.ignoreProcesses()).isEmpty();
    }

    @Test
    void blockActionAndIgnoredProcessesAreRead() throws ConfigException {
        StandaloneConfig config = StandaloneConfigParser.parse("""
                tokens: [{path: /run/x/token, content: {value: s}}]
                action: Block
                severity: critical
                ignoreProcesses: [/usr/bin/backup]
                """);

        assertThat(config.action()).isEqualTo(AccessAction.BLOCK);
        assertThat(config.severity()).isEqualTo("critical");
        assertThat(config.ignoreProcesses()).containsExactly("/usr/bin/backup");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            tokens: []                                                          | tokens: must be a non-empty list
            tokens: [{path: relative/token, content: {value: s}}]               | tokens[0].path: must be absolute
            tokens: [{content: {value: s}}]                                     | tokens[0].path: is required
            tokens: [{path: /run/a/../b, content: {value: s}}]                  | tokens[0].path: must be a normalized file path below /
            tokens: [{path: /run/a}]                                            | tokens[0].content: is required, with value or template
            tokens: [{path: /run/a, content: {value: s, template: t}}]          | tokens[0].content: needs exactly one of value and template
            tokens: [{path: /run/a, content: {template: '{{ nope 3 }}'}}]       | tokens[0].content.template: unknown placeholder {{nope 3}}
            tokens: [{path: /run/a, content: {secretKeyRef: {name: n}}}]        | tokens[0].content.secretKeyRef: needs Kubernetes
            tokens: [{path: /run/a, content: {value: s}, mode: 444}]            | tokens[0].mode: must be an octal string
            tokens: [{path: /run/a, content: {value: s}, mode: '0999'}]         | tokens[0].mode: must be an octal string
            tokens: [{path: /run/a, content: {value: s}, colour: red}]          | tokens[0].colour: unknown field
            tokens: [{path: /run/a, content: {value: s}}, {path: /run/a, content: {value: t}}] | tokens[1].path: duplicate path
            'tokens: [{path: /run/a, content: {value: s}}]\naction: Deny'       | action: must be Alert or Block
            'tokens: [{path: /run/a, content: {value: s}}]\nseverity: urgent'   | severity: must be one of
            'tokens: [{path: /run/a, content: {value: s}}]\nignoreProcesses: [cat]' | ignoreProcesses[0]: must be an absolute executable path
            '[1, 2]'                                                            | config: must be a mapping
            """)
    void invalidConfigNamesTheField(String yaml, String message) {
        assertThatThrownBy(() -> StandaloneConfigParser.parse(yaml.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
    }
}
