package dev.beesting.agent.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class TokenFilesTest {
    @Test
    void octalModesMapToPosixPermissions() {
        assertThat(PosixFilePermissions.toString(TokenFiles.permissions(0444))).isEqualTo("r--r--r--");
        assertThat(PosixFilePermissions.toString(TokenFiles.permissions(0640))).isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(TokenFiles.permissions(0755))).isEqualTo("rwxr-xr-x");
    }
}
