package dev.beesting.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.api.BuildInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    @Test
    void versionIsTheBuildsVersionNotAPlaceholder() {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).execute("--version");
        assertThat(code).isZero();
        assertThat(out.toString().trim()).isEqualTo("beesting-agent " + BuildInfo.version());
        assertThat(BuildInfo.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
