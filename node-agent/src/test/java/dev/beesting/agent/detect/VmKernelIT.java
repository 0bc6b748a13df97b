package dev.beesting.agent.detect;

import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The smoke test of hack/vmtest-detect.sh: the guest it boots is fit for the lsm, fentry and kprobe tiers, and
 * the harness's settings reach the test JVM.
 */
@EnabledIfEnvironmentVariable(
        named = "BEESTING_VM",
        matches = "1",
        disabledReason = "checks the stock Debian kernel that hack/vmtest.sh boots (it sets BEESTING_VM=1); the"
                + " host's kernel is not meant to pass, so elsewhere this is skipped even with CI=true")
class VmKernelIT {

    @Test
    void guestKernelHasBpfInTheActiveLsmList() throws IOException {
        String active = Files.readString(Path.of("/sys/kernel/security/lsm")).strip();

        assertThat(active.split(",")).contains("bpf");
    }

    @Test
    void guestRunsTheKernelTheHarnessBooted() {
        assertThat(System.getProperty("os.version")).isEqualTo(System.getenv("BEESTING_VM_KERNEL"));
    }

    @Test
    void bpfAndSecurityFilesystemsAreMounted() throws IOException {
        Map<String, String> typeByMountPoint;
        try (Stream<String> mounts = Files.lines(Path.of("/proc/self/mounts"))) {
            typeByMountPoint =
                    mounts.map(line -> line.split(" ")).collect(toMap(f -> f[1], f -> f[2], (first, last) -> last));
        }

        assertThat(typeByMountPoint)
                .containsEntry("/sys/fs/bpf", "bpf")
                .containsEntry("/sys/kernel/security", "securityfs");
    }

    @Test
    void tierListOfTheHarnessReachesTheTestJvm() {
        String tiers = System.getProperty("beesting.test.tiers", "");

        assertThat(Arrays.stream(tiers.split(",")).map(Tier::fromId)).isNotEmpty();
    }
}
