package dev.beesting.operator;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.beesting.logging.LogFormat;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The operator's {@code --log-format}; the formats themselves are tested with {@link LogFormat}. */
class LogFormatTest {
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
