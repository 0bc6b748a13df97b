package dev.beesting.agent.detect;

import static dev.beesting.agent.detect.RealKernel.from;
import static dev.beesting.agent.detect.RealKernel.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way of reaching a token's inode is reported and attributed, on each tier that runs here. */
class DetectionIT {
    static java.util.List<Tier> tiers() {
        return TestTiers.selected();
    }

    @ParameterizedTest
    @MethodSource("tiers")
    void catOfTheTokenIsAttributedToCat(Tier tier) throws Exception {
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT)) {
            Path token = kernel.plant("token", "AKIA-test\n");
            long id = kernel.detector.arm(token, AccessAction.ALERT);

            RealKernel.Run cat = run("cat", token.toString());

            AccessEvent event = kernel.awaitEvent(from(id, cat));
            assertThat(cat.stdout()).isEqualTo("AKIA-test\n");
            assertThat(event.opener().pid()).isEqualTo((int) cat.pid());
            assertThat(event.opener().comm()).isEqualTo("cat");
            assertThat(event.opener().uid()).isZero();
            assertThat(event.tier()).isEqualTo(tier);
            assertThat(event.denied()).isFalse();
            assertThat(event.count()).isEqualTo(1);
            // cat is gone long before the agent could read /proc: the hook itself must have captured these
            assertThat(event.opener().exe()).endsWith("/bin/cat");
            assertThat(event.opener().cmdline()).isEqualTo("cat " + token);
        }
    }

    @ParameterizedTest
    @MethodSource("tiers")
    void openThroughASymlinkIsReported(Tier tier) throws Exception {
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT)) {
            Path token = kernel.plant("token", "secret\n");
            long id = kernel.detector.arm(token, AccessAction.ALERT);
            Path link = Files.createSymbolicLink(kernel.dir.resolve("link"), token);

            RealKernel.Run cat = run("cat", link.toString());

            assertThat(kernel.awaitEvent(from(id, cat)).opener().comm()).isEqualTo("cat");
        }
    }

    @ParameterizedTest
    @MethodSource("tiers")
    void openThroughAHardLinkIsReported(Tier tier) throws Exception {
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT)) {
            Path token = kernel.plant("token", "secret\n");
            long id = kernel.detector.arm(token, AccessAction.ALERT);
            Path hardLink = Files.createLink(kernel.dir.resolve("hard"), token);

            RealKernel.Run cat = run("cat", hardLink.toString());

            assertThat(kernel.awaitEvent(from(id, cat)).opener().comm()).isEqualTo("cat");
        }
    }

    @ParameterizedTest
    @MethodSource("tiers")
    void openThroughABindMountInAnotherMountNamespaceIsReported(Tier tier) throws Exception {
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT)) {
            Path token = kernel.plant("token", "secret\n");
            long id = kernel.detector.arm(token, AccessAction.ALERT);
            Path target = kernel.plant("mountpoint", "");

            // unshare execs sh, and sh execs cat: the pid we know is cat's
            RealKernel.Run cat = run(
                    "unshare",
                    "-m",
                    "--propagation",
                    "private",
                    "sh",
                    "-c",
                    "mount --bind \"$1\" \"$2\" && exec cat \"$2\"",
                    "sh",
                    token.toString(),
                    target.toString());

            assertThat(cat.exitCode()).as(cat.stderr()).isZero();
            assertThat(cat.stdout()).isEqualTo("secret\n");
            assertThat(kernel.awaitEvent(from(id, cat)).opener().comm()).isEqualTo("cat");
        }
    }

    @ParameterizedTest
    @MethodSource("tiers")
    void openThroughProcPidRootIsReported(Tier tier) throws Exception {
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT)) {
            Path token = kernel.plant("token", "secret\n");
            long id = kernel.detector.arm(token, AccessAction.ALERT);
            Path viaProc = Path.of(
                            "/proc", Long.toString(ProcessHandle.current().pid()), "root")
                    .resolve(Path.of("/").relativize(token));

            RealKernel.Run cat = run("cat", viaProc.toString());

            assertThat(kernel.awaitEvent(from(id, cat)).opener().comm()).isEqualTo("cat");
        }
    }

    @ParameterizedTest
    @MethodSource("tiers")
    void tokenOnOverlayfsWithALowerLayerOnAnotherFilesystemIsReported(Tier tier) throws Exception {
        // here the (dev, ino) the hook sees differs from stat(): only learning the key from the kernel works
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT)) {
            Path lower = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "overlay-lower-");
            Files.writeString(lower.resolve("token"), "secret\n");
            Path upper = Files.createDirectories(kernel.dir.resolve("upper"));
            Path work = Files.createDirectories(kernel.dir.resolve("work"));
            Path merged = Files.createDirectories(kernel.dir.resolve("merged"));
            RealKernel.Run mount = run(
                    "mount",
                    "-t",
                    "overlay",
                    "overlay",
                    "-o",
                    "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work,
                    merged.toString());
            assertThat(mount.exitCode()).as(mount.stderr()).isZero();
            long id = -1;
            try {
                Path token = merged.resolve("token");
                id = kernel.detector.arm(token, AccessAction.ALERT);

                RealKernel.Run cat = run("cat", token.toString());

                assertThat(cat.stdout()).isEqualTo("secret\n");
                assertThat(kernel.awaitEvent(from(id, cat)).opener().comm()).isEqualTo("cat");
            } finally {
                kernel.detector.disarm(id); // fanotify holds the token open, which would keep the mount busy
                run("umount", merged.toString());
                Files.deleteIfExists(lower.resolve("token"));
                Files.deleteIfExists(lower);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("tiers")
    void opensOfOtherFilesProduceNoEvent(Tier tier) throws Exception {
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT)) {
            Path token = kernel.plant("token", "secret\n");
            Path other = kernel.plant("other", "plain\n");
            long id = kernel.detector.arm(token, AccessAction.ALERT);

            RealKernel.Run catOther = run("cat", other.toString());
            RealKernel.Run catToken = run("cat", token.toString());

            // events arrive in order: once the second cat's is here, one for the first would be too
            kernel.awaitEvent(from(id, catToken));
            assertThat(kernel.events).noneMatch(e -> e.opener().tgid() == catOther.pid());
            assertThat(kernel.events).allMatch(e -> e.tokenId() == id);
        }
    }

    @ParameterizedTest
    @MethodSource("tiers")
    void blockDeniesTheOpenWhereTheTierCanAndOnlyAlertsElsewhere(Tier tier) throws Exception {
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT)) {
            Path token = kernel.plant("token", "secret\n");
            long id = kernel.detector.arm(token, AccessAction.BLOCK);

            RealKernel.Run cat = run("cat", token.toString());

            AccessEvent event = kernel.awaitEvent(from(id, cat));
            if (tier.canBlock()) {
                assertThat(cat.exitCode()).isNotZero();
                assertThat(cat.stderr()).contains("Operation not permitted");
                assertThat(cat.stdout()).isEmpty();
                assertThat(event.denied()).isTrue();
            } else {
                assertThat(cat.exitCode()).isZero();
                assertThat(event.denied()).isFalse();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("tiers")
    void disarmedTokenIsNoLongerReported(Tier tier) throws Exception {
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT)) {
            Path token = kernel.plant("token", "secret\n");
            Path marker = kernel.plant("marker", "marker\n");
            long id = kernel.detector.arm(token, AccessAction.ALERT);
            long markerId = kernel.detector.arm(marker, AccessAction.ALERT);
            kernel.detector.disarm(id);

            RealKernel.Run catToken = run("cat", token.toString());
            RealKernel.Run catMarker = run("cat", marker.toString());

            kernel.awaitEvent(from(markerId, catMarker));
            assertThat(kernel.events).noneMatch(e -> e.opener().tgid() == catToken.pid());
        }
    }

    @ParameterizedTest
    @MethodSource("tiers")
    void aProcessWithAHugeCommandLineIsReportedWithABoundedOne(Tier tier) throws Exception {
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT)) {
            Path token = kernel.plant("token", "secret\n");
            long id = kernel.detector.arm(token, AccessAction.ALERT);
            // 15 arguments of 128 KiB (the kernel's limit per argument, NUL included): about 1.9 MB of argv. The
            // shell opens the token itself (a redirection) and stays alive meanwhile, so /proc shows all of it.
            java.util.List<String> command = new java.util.ArrayList<>(
                    java.util.List.of("sh", "-c", "read line < " + token + "; sleep 2", "sh"));
            for (int i = 0; i < 15; i++) {
                command.add(String.valueOf((char) ('a' + i)).repeat(128 * 1024 - 1));
            }

            RealKernel.Run sh = run(command.toArray(String[]::new));

            assertThat(sh.exitCode()).as(sh.stderr()).isZero();
            AccessEvent event = kernel.awaitEvent(from(id, sh));
            assertThat(event.opener().comm()).isEqualTo("sh");
            assertThat(event.opener().cmdline())
                    .startsWith("sh -c read line < " + token)
                    .endsWith("…(truncated)")
                    .hasSizeLessThanOrEqualTo(4096);
            assertThat(event.opener().exe().length()).isLessThanOrEqualTo(4096);
        }
    }
}
