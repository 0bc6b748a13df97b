package dev.beesting.agent.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class PlanterTest {
    @Test
    void octalModesMapToPosixPermissions() {
        assertThat(PosixFilePermissions.toString(Planter.permissions(0444))).isEqualTo("r--r--r--");
        assertThat(PosixFilePermissions.toString(Planter.permissions(0640))).isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(Planter.permissions(0755))).isEqualTo("rwxr-xr-x");
    }
}
