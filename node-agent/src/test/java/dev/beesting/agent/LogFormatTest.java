package dev.beesting.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.beesting.logging.LogFormat;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The agent's {@code --log-format}; the formats themselves are tested with {@link LogFormat}. */
class LogFormatTest {
    @Test
    void logFormatIsTakenBeforeOrAfterTheSubcommandAndTextIsTheDefault() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        try {
            assertThat(root.getAppender("text")).isNotNull();
            assertThat(Main.run("standalone", "--log-format=json", "--help")).isZero();
            assertThat(root.getAppender("json")).isNotNull();
            LogFormat.TEXT.apply();
            assertThat(Main.run("--log-format", "JSON", "node", "--help")).isZero();
            assertThat(root.getAppender("json")).isNotNull();
            assertThat(Main.run("--log-format=xml", "node", "--help")).isEqualTo(2);
        } finally {
            LogFormat.TEXT.apply();
        }
    }
}
