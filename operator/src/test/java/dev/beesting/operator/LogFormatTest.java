package dev.beesting.operator;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

class LogFormatTest {
    @Test
    void jsonIsOneObjectPerLineWithTimeLevelThreadLoggerAndMessage() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogFormat.JSON.install(context, out);
        context.getLogger("dev.beesting.operator.Example").info("node config written generation={}", 7);

        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines[0]);
        assertThat(line.path("timestamp").asLong()).isPositive();
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("threadName").asText())
                .isEqualTo(Thread.currentThread().getName());
        assertThat(line.path("loggerName").asText()).isEqualTo("dev.beesting.operator.Example");
        assertThat(line.path("formattedMessage").asText()).isEqualTo("node config written generation=7");
    }

    @Test
    void logFormatFlagSwitchesTheOperatorsLogging() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        try {
            assertThat(root.getAppender("text")).isNotNull();
            new CommandLine(new OperatorMain())
                    .setCaseInsensitiveEnumValuesAllowed(true)
                    .parseArgs("--log-format=json");
            assertThat(root.getAppender("json")).isNotNull();
            assertThat(root.getAppender("text")).isNull();
        } finally {
            LogFormat.TEXT.apply();
        }
    }
}
