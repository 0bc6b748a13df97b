package dev.beesting.agent.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.agent.detect.AccessAction;
import dev.beesting.agent.model.Workload;
import dev.beesting.api.decoy.DecoyCredential;
import dev.beesting.api.decoy.DecoyKey;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import dev.beesting.api.nodeconfig.DecoySettings;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.LabelSelector;
import dev.beesting.api.v1alpha1.PolicyAction;
import dev.beesting.api.v1alpha1.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token planting on a real filesystem, with a recording detector. */
class TokenPlanterIT {
    private static final Workload WEB = inPod("cms", Map.of("app", "cms"), "c0ffee01", "web", "busybox:latest");

    @TempDir
    Path stateDir;

    private final FakeDetector detector = new FakeDetector();
    private final AtomicReference<NodeConfig> config = new AtomicReference<>(config(policy(
            "aws",
            List.of("cms"),
            new LabelSelector(Map.of("app", "cms"), null),
            List.of(
                    new CompiledToken("/root/.aws/credentials", "0400", null, "id={{awsAccessKeyId}}"),
                    new CompiledToken("/etc/literal", null, "literal", null)))));

    /** A planter following {@link #config}, decoy settings included. */
    private TokenPlanter planter() {
        return new TokenPlanter(
                stateDir,
                detector,
                new TemplateRenderer(() -> Optional.ofNullable(config.get().decoy())),
                config::get,
                NamespaceLabelSource.namesOnly(),
                "node-1");
    }

    private static DecoySettings decoySettings(DecoyKey key) {
        return new DecoySettings("https://decoy.svc", null, "c1", DecoySettings.Key.of(key), null);
    }

    @Test
    void matchingContainerGetsOneArmedFilePerTokenWithPolicyMode() throws IOException {
        List<TokenMount> mounts = planter().plant(WEB);

        assertThat(mounts)
                .extracting(TokenMount::destination)
                .containsExactly("/root/.aws/credentials", "/etc/literal");
        Path first = mounts.getFirst().source();
        assertThat(first).isEqualTo(stateDir.resolve("tokens/c0ffee01/0"));
        assertThat(Files.readString(first)).matches("id=AKIA[A-Z2-7]{16}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first)))
                .isEqualTo("r--------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(mounts.get(1).source())).isEqualTo("literal");
        assertThat(detector.armed.values())
                .containsExactlyInAnyOrder(first, mounts.get(1).source());
    }

    @Test
    void twoContainersGetDifferentTokens() throws IOException {
        TokenPlanter planter = planter();
        Path a = planter.plant(WEB).getFirst().source();
        Path b = planter.plant(inPod("cms", Map.of("app", "cms"), "c0ffee02", "sidecar", "busybox"))
                .getFirst()
                .source();
        assertThat(Files.readString(a)).isNotEqualTo(Files.readString(b));
    }

    @Test
    void podOutsideTheSelectorsGetsNothing() {
        TokenPlanter planter = planter();
        assertThat(planter.plant(inPod("shop", Map.of("app", "cms"), "c0ffee01", "web", "busybox:latest")))
                .isEmpty();
        assertThat(planter.plant(inPod("cms", Map.of("app", "other"), "c0ffee01", "web", "busybox:latest")))
                .isEmpty();
        assertThat(detector.armed).isEmpty();
    }

    @Test
    void brokenTemplateFailsThatTokenOnly() {
        config.set(config(policy(
                "p",
                List.of("cms"),
                null,
                List.of(
                        new CompiledToken("/bad", null, null, "{{nope}}"),
                        new CompiledToken("/good", null, "ok", null)))));
        TokenPlanter planter = planter();
        assertThat(planter.plant(WEB)).extracting(TokenMount::destination).containsExactly("/good");
        assertThat(planter.failures()).isEqualTo(1);
    }

    @Test
    void decoyKubeconfigNamesThePlantedContainerAndPath() throws IOException {
        DecoyKey key = DecoyKey.generate("k1", new java.security.SecureRandom());
        config.set(config(policy(
                        "decoy",
                        List.of("cms"),
                        null,
                        List.of(new CompiledToken("/root/.kube/config", null, null, "{{kubeconfig}}"))))
                .withDecoy(decoySettings(key)));
        String kubeconfig = Files.readString(planter().plant(WEB).getFirst().source());
        String token = kubeconfig.substring(kubeconfig.indexOf("token: ") + 7).strip();
        assertThat(DecoyCredential.decode(token, List.of(key)))
                .isInstanceOfSatisfying(DecoyCredential.Valid.class, valid -> {
                    assertThat(valid.origin().path()).isEqualTo("/root/.kube/config");
                    assertThat(valid.origin().container()).isEqualTo("web");
                    assertThat(valid.origin().pod()).isEqualTo(WEB.pod());
                    assertThat(valid.origin().policy()).isEqualTo("decoy");
                    assertThat(valid.origin().severity()).isEqualTo("high");
                });
    }

    @Test
    void decoyTemplateWithoutDecoySettingsFailsThatTokenOnly() {
        config.set(config(policy(
                "p",
                List.of("cms"),
                null,
                List.of(
                        new CompiledToken("/root/.kube/config", null, null, "{{kubeconfig}}"),
                        new CompiledToken("/good", null, "ok", null)))));
        TokenPlanter planter = planter();
        assertThat(planter.plant(WEB)).extracting(TokenMount::destination).containsExactly("/good");
        assertThat(planter.failures()).isEqualTo(1);
    }

    @Test
    void aDecoyTokenThatWaitedForDecoySettingsIsPlantedWithTheConfigThatBringsThem() throws IOException {
        TokenPlanter planter = planter();
        Path file = planter.plant(WEB).getFirst().source();
        planter.started(new RunningContainer(WEB, 1));
        config.set(generation(2, config()));
        planter.reconcile(); // the mounts are emptied, ready to be filled again
        CompiledPolicy decoy = policy(
                "decoy",
                List.of("cms"),
                null,
                List.of(new CompiledToken("/root/.aws/credentials", null, null, "{{kubeconfig}}")));

        config.set(generation(3, config(decoy)));
        planter.reconcile();
        planter.reconcile();
        assertThat(planter.failures()).as("counted once for this config").isEqualTo(1);
        assertThat(file).isEmptyFile();

        DecoyKey key = DecoyKey.generate("k1", new java.security.SecureRandom());
        config.set(generation(4, config(decoy)).withDecoy(decoySettings(key)));
        planter.reconcile();
        assertThat(Files.readString(file)).contains("kind: Config", "server: https://decoy.svc");
        assertThat(planter.armedCount()).isEqualTo(1);
    }

    private static NodeConfig generation(long generation, NodeConfig config) {
        return new NodeConfig(config.apiVersion(), generation, config.policies(), config.decoy());
    }

    @Test
    void detectorFaultPlantsNothingButNeverThrows() {
        detector.failArm = true;
        TokenPlanter planter = planter();
        assertThat(planter.plant(WEB)).isEmpty();
        assertThat(planter.failures()).isEqualTo(2);
    }

    @Test
    void removalDisarmsAndDeletesFiles() {
        TokenPlanter planter = planter();
        Path file = planter.plant(WEB).getFirst().source();
        planter.remove(WEB.containerId());
        assertThat(detector.armed).isEmpty();
        assertThat(file.getParent()).doesNotExist();
        assertThat(planter.armedCount()).isZero();
    }

    @Test
    void restartedAgentReArmsRunningContainersAndDeletesOrphans() {
        TokenPlanter before = planter();
        before.plant(WEB);
        Path orphan = before.plant(inPod("cms", Map.of("app", "cms"), "dead0001", "old", "busybox"))
                .getFirst()
                .source();
        detector.armed.clear();

        TokenPlanter after = planter();
        after.synchronize(List.of(WEB.containerId(), "unrelated"));

        assertThat(after.armedCount()).isEqualTo(2);
        assertThat(detector.armed.values()).allMatch(p -> p.startsWith(stateDir.resolve("tokens/c0ffee01")));
        assertThat(orphan.getParent()).doesNotExist();
        long id = detector.armed.keySet().iterator().next();
        assertThat(after.token(id)).hasValueSatisfying(t -> {
            assertThat(t.workload()).isEqualTo(WEB);
            assertThat(t.policy().name()).isEqualTo("aws");
        });
    }

    @Test
    void policyNoLongerSelectingARunningContainerEmptiesItsMountsAndDisarmsThem() throws IOException {
        TokenPlanter planter = planter();
        Path file = planter.plant(WEB).getFirst().source();
        planter.started(new RunningContainer(WEB, 1));

        config.set(config());
        planter.reconcile();

        assertThat(detector.armed).isEmpty();
        assertThat(planter.armedCount()).isZero();
        assertThat(file).isEmptyFile();
        assertThat(planter.reconcile()).as("nothing left to do").isZero();
    }

    @Test
    void aTokenIsDisarmedBeforeTheAgentEmptiesItSoTheAgentNeverTripsItsOwnAlarm() throws IOException {
        // the truncate of an armed file is an open the BPF tiers report (naming the agent, with an Event on the
        // victim pod), and one that lsm with Block denies, leaving the bait in place
        Map<Long, Long> sizeWhenDisarmed = new java.util.concurrent.ConcurrentHashMap<>();
        detector.onDisarm = (id, file) -> {
            try {
                sizeWhenDisarmed.put(id, Files.size(file));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        TokenPlanter planter = planter();
        planter.plant(WEB);
        planter.started(new RunningContainer(WEB, 1));

        config.set(config());
        planter.reconcile();

        assertThat(sizeWhenDisarmed)
                .hasSize(2)
                .allSatisfy((id, size) -> assertThat(size)
                        .as("token %d still had its content when disarmed", id)
                        .isPositive());
    }

    @Test
    void emptiedMountsStayUnarmedAcrossARestartAndComeBackWithThePolicy() throws IOException {
        NodeConfig withPolicy = config.get();
        TokenPlanter before = planter();
        Path file = before.plant(WEB).getFirst().source();
        before.started(new RunningContainer(WEB, 1));
        config.set(config());
        before.reconcile();

        TokenPlanter after = planter();
        after.synchronize(List.of(new RunningContainer(WEB, 1)));
        assertThat(after.armedCount()).isZero();

        config.set(withPolicy);
        after.reconcile();

        assertThat(after.armedCount()).isEqualTo(2);
        assertThat(Files.readString(file)).matches("id=AKIA[A-Z2-7]{16}");
        assertThat(after.failures()).isZero();
    }

    @Test
    void withoutAnyConfigYetNothingIsTakenAway() throws IOException {
        // an agent restarted while the config Secret is missing or rejected knows no config: that is not "no
        // policies", which would empty every mounted token and delete every live one on the node
        TokenPlanter planter = planter();
        Path file = planter.plant(WEB).getFirst().source();
        planter.started(new RunningContainer(WEB, 1));

        config.set(NodeConfig.empty());

        assertThat(planter.reconcile()).isZero();
        assertThat(planter.armedCount()).isEqualTo(2);
        assertThat(detector.armed).hasSize(2);
        assertThat(Files.readString(file)).matches("id=AKIA[A-Z2-7]{16}");
    }

    @Test
    void anEditOfThePolicyReachesTheTokensOfRunningContainers() throws IOException {
        TokenPlanter planter = planter();
        Path file = planter.plant(WEB).getFirst().source();
        planter.started(new RunningContainer(WEB, 1));
        String content = Files.readString(file);
        CompiledPolicy alerting = config.get().policies().getFirst();
        CompiledPolicy edited = new CompiledPolicy(
                alerting.name(),
                alerting.uid(),
                alerting.generation() + 1,
                alerting.namespaces(),
                alerting.podSelector(),
                alerting.tokens(),
                Severity.CRITICAL,
                PolicyAction.BLOCK,
                List.of("/usr/bin/backup-agent"));

        config.set(config(edited));
        planter.reconcile();

        assertThat(planter.tokens(WEB.containerId())).hasSize(2).allSatisfy(token -> {
            assertThat(token.policy()).isEqualTo(edited);
            assertThat(planter.token(token.tokenId())).contains(token);
            assertThat(detector.actions.get(token.tokenId()))
                    .as("Alert to Block arms the file again, to deny")
                    .isEqualTo(AccessAction.BLOCK);
        });
        assertThat(detector.armed).hasSize(2);
        assertThat(Files.readString(file))
                .as("the content the container got stays")
                .isEqualTo(content);
        assertThat(planter.failures()).isZero();

        // severity and ignoreProcesses alone keep the armed file as it is
        CompiledPolicy lowered = new CompiledPolicy(
                edited.name(),
                edited.uid(),
                edited.generation() + 1,
                edited.namespaces(),
                edited.podSelector(),
                edited.tokens(),
                Severity.LOW,
                PolicyAction.BLOCK,
                List.of());
        List<Long> ids = planter.tokens(WEB.containerId()).stream()
                .map(PlantedToken::tokenId)
                .toList();
        config.set(config(lowered));
        planter.reconcile();
        assertThat(planter.tokens(WEB.containerId()))
                .extracting(PlantedToken::tokenId)
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(planter.tokens(WEB.containerId()))
                .allSatisfy(t -> assertThat(t.policy().severity()).isEqualTo(Severity.LOW));
        assertThat(detector.armed.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    }

    private static NodeConfig config(CompiledPolicy... policies) {
        return new NodeConfig(NodeConfig.API_VERSION, 1, List.of(policies));
    }

    private static CompiledPolicy policy(
            String name, List<String> namespaces, LabelSelector pods, List<CompiledToken> tokens) {
        return new CompiledPolicy(name, "uid-" + name, 1, namespaces, pods, tokens, null, null, null);
    }

    @Test
    void tokensThatWouldReplaceOrHideAMountedPathAreSkippedAndCounted() {
        TokenPlanter planter = planter();

        List<TokenMount> mounts = planter.plant(
                WEB,
                List.of(
                        new ContainerMount("/root/.aws/", "/var/lib/kubelet/pods/x/volumes/secret"),
                        new ContainerMount("/etc/hosts", "/var/lib/kubelet/pods/x/etc-hosts")));

        assertThat(mounts).extracting(TokenMount::destination).containsExactly("/etc/literal");
        assertThat(planter.skippedByPolicy()).containsExactly(Map.entry("aws", 1));
        assertThat(planter.skippedTotal()).isEqualTo(1);
        planter.plant(WEB, List.of(new ContainerMount("/root/.aws/credentials", "/srv/real"))); // counted once
        assertThat(planter.skippedTotal()).isEqualTo(1);

        planter.remove(WEB.containerId());
        assertThat(planter.skippedByPolicy()).isEmpty();
    }

    @Test
    void shadowingIsAboutWholePathComponents() {
        assertThat(SkippedTokens.shadowedMount("/root/.aws/credentials", Set.of("/root/.aws/credentials")))
                .contains("/root/.aws/credentials");
        assertThat(SkippedTokens.shadowedMount("/root/.aws/credentials", Set.of("//root//.aws/./")))
                .contains("/root/.aws");
        assertThat(SkippedTokens.shadowedMount("/root/.aws/credentials", Set.of("/root/.a", "/root/.aws/cred", "/")))
                .isEmpty();
    }

    @Test
    void creatingAContainerNeverWaitsForLivePlantingIntoAnother(@TempDir Path liveDir) throws Exception {
        // this process stands for the running container: its root is the host's, its id a line of its own cgroup
        String selfId = Files.readString(Path.of("/proc/self/cgroup"))
                .lines()
                .findFirst()
                .orElseThrow();
        Workload running = inPod("live", Map.of(), selfId, "web", "busybox");
        Path liveToken = liveDir.resolve("credentials");
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        detector.onArm = file -> {
            if (!file.startsWith(stateDir)) { // a live token (mounted ones are files under the state dir)
                stuck.countDown();
                try {
                    release.await(); // a live write into a stalled FUSE or NFS mount
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        config.set(config(
                config.get().policies().getFirst(),
                policy(
                        "live",
                        List.of("live"),
                        new LabelSelector(Map.of(), null),
                        List.of(new CompiledToken(liveToken.toString(), null, "live", null)))));
        TokenPlanter planter = planter();
        planter.started(
                new RunningContainer(running, (int) ProcessHandle.current().pid()));
        try (ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> reconcile = background.submit(() -> planter.reconcile());
            assertThat(stuck.await(30, TimeUnit.SECONDS))
                    .as("live planting reached the detector")
                    .isTrue();

            Future<List<TokenMount>> created = background.submit(() -> planter.plant(WEB));

            assertThat(created.get(30, TimeUnit.SECONDS)).hasSize(2);
            assertThat(reconcile.isDone()).as("live planting still hangs").isFalse();
            release.countDown();
            assertThat(reconcile.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void aMountTheRuntimeNeverMadeIsTakenBackAndPlantedLive() {
        TokenPlanter planter = planter();
        List<TokenMount> answered = planter.plant(WEB);
        // the answer came too late: the runtime created the container with its own mounts but without ours
        List<ContainerMount> made = List.of(
                new ContainerMount("/proc", "proc"),
                new ContainerMount(
                        answered.get(1).destination(), answered.get(1).source().toString()));

        planter.started(new RunningContainer(WEB, made, 1));

        assertThat(planter.tokens(WEB.containerId()))
                .extracting(PlantedToken::path)
                .containsExactly("/etc/literal");
        assertThat(answered.getFirst().source()).doesNotExist();
        assertThat(detector.armed.values()).containsExactly(answered.get(1).source());
    }

    /** A container of pod cms-1 (uid-1) on node-1, the planter's node. */
    private static Workload inPod(
            String namespace, Map<String, String> labels, String containerId, String name, String image) {
        return new Workload("node-1", namespace, "cms-1", "uid-1", labels, name, containerId, image);
    }
}
