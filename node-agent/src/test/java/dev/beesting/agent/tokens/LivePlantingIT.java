package dev.beesting.agent.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.agent.detect.AccessAction;
import dev.beesting.agent.detect.AccessEvent;
import dev.beesting.agent.detect.Detector;
import dev.beesting.agent.detect.Tier;
import dev.beesting.agent.model.Workload;
import dev.beesting.agent.tokens.PolicyMatcher.WantedToken;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import dev.beesting.api.v1alpha1.LabelSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live planting on the real filesystem, through this test process's own root as a container's. */
class LivePlantingIT {
    @TempDir
    Path dir;

    /** Notes, at the moment of arming, whether the token's name is visible and what the armed file holds. */
    private static final class WatchingDetector implements Detector {
        private final Path token;
        Boolean nameVisibleWhenArmed;
        String contentWhenArmed;

        WatchingDetector(Path token) {
            this.token = token;
        }

        @Override
        public Tier tier() {
            return Tier.FANOTIFY;
        }

        @Override
        public long arm(Path file, AccessAction action) throws IOException {
            nameVisibleWhenArmed = Files.exists(token);
            contentWhenArmed = Files.readString(file);
            return 1;
        }

        @Override
        public void disarm(long tokenId) {}

        @Override
        public void start(Consumer<AccessEvent> sink) {}

        @Override
        public boolean alive() {
            return true;
        }

        @Override
        public void close() {}
    }

    @Test
    void aLiveTokenIsArmedBeforeItsNameAppearsSoNoWatcherCanOpenItUnseen() throws IOException {
        Path token = dir.resolve("credentials");
        // this process stands for the container: its root is the host's, its id a line of its own cgroup file
        String containerId = Files.readString(Path.of("/proc/self/cgroup"))
                .lines()
                .findFirst()
                .orElseThrow();
        RunningContainer container = new RunningContainer(
                new Workload("node-1", "ns", "pod", "uid-pod", Map.of(), "c", containerId, "busybox"),
                (int) ProcessHandle.current().pid());
        CompiledPolicy policy = new CompiledPolicy(
                "p",
                "uid-p",
                1,
                List.of("ns"),
                new LabelSelector(Map.of(), null),
                List.of(new CompiledToken(token.toString(), null, "AKIA\n", null)),
                null,
                null,
                null);
        WatchingDetector detector = new WatchingDetector(token);

        LivePlanting.Planted planted = new LivePlanting(detector)
                .plant(container, new WantedToken(policy, policy.tokens().getFirst()), "AKIA\n");

        assertThat(detector.nameVisibleWhenArmed)
                .as("token name visible when armed")
                .isFalse();
        assertThat(detector.contentWhenArmed).isEqualTo("AKIA\n");
        assertThat(token).hasContent("AKIA\n");
        assertThat(planted.ino()).isEqualTo(Files.getAttribute(token, "unix:ino"));
    }
}
