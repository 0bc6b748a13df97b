package dev.beesting.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The two formats, as the agent and the operator write them. */
class LogFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LoggerContext context() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
        return context;
    }

    @Test
    void jsonIsOneObjectPerLineWithTimeLevelThreadLoggerMessageAndContext() throws Exception {
        LoggerContext context = context();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogFormat.JSON.install(context, out);
        Logger log = context.getLogger("dev.beesting.agent.Example");
        context.getMDCAdapter().put("node", "worker-1");
        log.atInfo().addKeyValue("pod", "cms-1").log("tokens planted count={}", 2);
        log.warn("second \"line\"\nwith a newline");

        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines[0]);
        assertThat(first.path("timestamp").asLong()).isPositive();
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("threadName").asText())
                .isEqualTo(Thread.currentThread().getName());
        assertThat(first.path("loggerName").asText()).isEqualTo("dev.beesting.agent.Example");
        assertThat(first.path("formattedMessage").asText()).isEqualTo("tokens planted count=2");
        assertThat(first.at("/mdc/node").asText()).isEqualTo("worker-1");
        assertThat(first.path("kvpList").toString()).contains("\"pod\":\"cms-1\"");
        assertThat(JSON.readTree(lines[1]).path("formattedMessage").asText())
                .isEqualTo("second \"line\"\nwith a newline");
    }

    @Test
    void textKeepsTheLineSlf4jSimplePrinted() {
        LoggerContext context = context();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogFormat.TEXT.install(context, out);
        context.getLogger("dev.beesting.agent.Example").info("running node={}", "worker-1");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("[" + Thread.currentThread().getName()
                        + "] INFO dev.beesting.agent.Example - running node=worker-1\n");
    }
}
