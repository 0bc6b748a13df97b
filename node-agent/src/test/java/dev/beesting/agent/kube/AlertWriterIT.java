package dev.beesting.agent.kube;

import static dev.beesting.agent.kube.Alerts.KUBE;
import static dev.beesting.agent.kube.Alerts.PATH;
import static dev.beesting.agent.kube.Alerts.access;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.TokenRef;
import dev.beesting.api.v1alpha1.Access;
import dev.beesting.api.v1alpha1.HoneytokenAlert;
import dev.beesting.api.v1alpha1.HoneytokenAlertStatus;
import dev.beesting.api.v1alpha1.Severity;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertWriterIT {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final AlertWriter.Settings FAST = new AlertWriter.Settings(
            Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(10), 10_000);

    @TempDir
    Path stateDir;

    private final MutableClock clock = new MutableClock(T0);
    private MockApiServer apiServer;
    private KubernetesClient client;

    @BeforeEach
    void startApiServer() {
        apiServer = new MockApiServer();
        client = apiServer.client();
    }

    @AfterEach
    void stopApiServer() {
        client.close();
        apiServer.close();
    }

    private AlertWriter writer(AlertWriter.Settings settings) {
        return AlertWriter.start(client, stateDir, settings, clock);
    }

    private HoneytokenAlert alert() {
        return client.resources(HoneytokenAlert.class)
                .inNamespace("cms")
                .withName(AlertKey.of(KUBE, PATH).objectName())
                .get();
    }

    private long alertCount() {
        HoneytokenAlert alert = alert();
        return alert == null || alert.getStatus() == null || alert.getStatus().count == null
                ? -1
                : alert.getStatus().count;
    }

    private Event event() {
        return client.v1()
                .events()
                .inNamespace("cms")
                .withName(AlertKey.of(KUBE, PATH).objectName())
                .get();
    }

    @Test
    void firstAccessCreatesTheAlertAndAWarningEventOnThePod() {
        try (AlertWriter writer = writer(FAST)) {
            writer.publish(access(1, 4711, "cat", T0));
            await().until(() -> alertCount() == 1 && event() != null);
        }
        HoneytokenAlert alert = alert();
        assertThat(alert.getMetadata().getOwnerReferences()).isEmpty();
        assertThat(alert.getMetadata().getLabels())
                .containsEntry("beesting.dev/policy", "fake-aws-credentials")
                .containsEntry("beesting.dev/pod", "simplecms-6c4bfc97cd-wdnhv")
                .containsEntry("beesting.dev/node", "worker-1");
        assertThat(alert.getSpec().path).isEqualTo(PATH);
        assertThat(alert.getSpec().policy).isEqualTo("fake-aws-credentials");
        assertThat(alert.getSpec().severity).isEqualTo(Severity.HIGH);
        assertThat(alert.getSpec().node).isEqualTo("worker-1");
        assertThat(alert.getSpec().pod.name).isEqualTo("simplecms-6c4bfc97cd-wdnhv");
        assertThat(alert.getSpec().pod.uid).isEqualTo(KUBE.podUid());
        assertThat(alert.getSpec().container.name).isEqualTo("cms");
        assertThat(alert.getSpec().container.id).isEqualTo("c0ffee");
        assertThat(alert.getSpec().detector).isEqualTo("syscall");
        HoneytokenAlertStatus status = alert.getStatus();
        assertThat(status.process.comm).isEqualTo("cat");
        assertThat(status.process.pid).isEqualTo(4711);
        assertThat(status.process.exe).isEqualTo("/bin/cat");
        assertThat(status.firstSeen).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(status.lastSeen).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(status.denied).isFalse();

        Event event = event();
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getReason()).isEqualTo("HoneytokenAccessed");
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("Pod");
        assertThat(event.getInvolvedObject().getName()).isEqualTo("simplecms-6c4bfc97cd-wdnhv");
        assertThat(event.getInvolvedObject().getNamespace()).isEqualTo("cms");
        assertThat(event.getInvolvedObject().getUid()).isEqualTo(KUBE.podUid());
        assertThat(event.getSource().getComponent()).isEqualTo("beesting-agent");
        assertThat(event.getSource().getHost()).isEqualTo("worker-1");
        assertThat(event.getMessage())
                .isEqualTo(
                        "process cat (pid 4711, uid 0) opened honeytoken " + PATH + " (policy fake-aws-credentials)");
        assertThat(event.getCount()).isEqualTo(1);
    }

    /**
     * What the API server sees: a new alert costs a create, a status patch and the Event, an update two patches; no
     * GET before a patch (fabric8 reads an object first when the patch selects it withName).
     */
    @Test
    void anAlertIsWrittenWithoutReadingItFirst() {
        String name = AlertKey.of(KUBE, PATH).objectName();
        String alerts = "/apis/beesting.dev/v1alpha1/namespaces/cms/honeytokenalerts";
        String events = "/api/v1/namespaces/cms/events";
        try (AlertWriter writer = writer(FAST)) {
            writer.publish(access(1, 4711, "cat", T0));
            await().until(() -> writer.pending() == 0);
            assertThat(apiServer.takeRequests())
                    .containsExactly("POST " + alerts, "PATCH " + alerts + "/" + name + "/status", "POST " + events);

            writer.publish(access(2, 4712, "cat", T0.plusSeconds(1)));
            clock.advance(Duration.ofSeconds(10));
            writer.wake();
            await().until(() -> writer.pending() == 0);
            assertThat(apiServer.takeRequests())
                    .containsExactly("PATCH " + alerts + "/" + name + "/status", "PATCH " + events + "/" + name);
        }
        assertThat(alertCount()).isEqualTo(2);
        assertThat(event().getCount()).isEqualTo(2);
    }

    /**
     * A storm over the client-side limit: 10 new alerts (3 requests each) against 2 requests a second, burst 4, on a
     * monotonic clock the test moves. At every moment the requests stay within burst + rate × elapsed plus one
     * delivery's overdraft, the writer keeps up with what the limit allows, and every alert arrives.
     */
    @Test
    void aBurstOverTheWriteLimitIsWrittenAtTheLimitsRateAndNoneIsLost() {
        AtomicLong nanos = new AtomicLong();
        AlertWriter.Settings limited = FAST.withWriteLimit(new AlertWriteLimit(2, 4));
        int alerts = 10;
        int requests = 3 * alerts;
        try (AlertWriter writer = AlertWriter.start(client, stateDir, limited, clock, nanos::get)) {
            for (int i = 1; i <= alerts; i++) {
                writer.publish(access(Alerts.tokenInPod("pod-" + i, "uid-" + i), 1, 100 + i, "cat", T0));
            }
            long seconds = 0;
            while (true) {
                long allowed = 4 + 2 * seconds;
                // the writer goes on while a token is left: it stops only below one
                await().until(() -> writer.apiRequests() >= Math.min(requests, allowed));
                assertThat(writer.apiRequests()).as("after %d s", seconds).isLessThanOrEqualTo(allowed + 2);
                if (writer.apiRequests() == requests) {
                    break;
                }
                nanos.addAndGet(Duration.ofSeconds(1).toNanos());
                seconds++;
                writer.wake();
            }
            await().until(() -> writer.pending() == 0);
            // 30 requests at 2 a second after a burst of 4 (and one overdraft of 2): 12 s at the least
            assertThat(seconds).isBetween(12L, 13L);
            assertThat(writer.apiRequests()).isEqualTo(requests);
            assertThat(writer.throttled()).isPositive();
            assertThat(writer.waitingForLimit()).isZero();
        }
        assertThat(client.resources(HoneytokenAlert.class)
                        .inNamespace("cms")
                        .list()
                        .getItems())
                .hasSize(alerts);
        assertThat(client.v1().events().inNamespace("cms").list().getItems()).hasSize(alerts);
    }

    @Test
    void aHundredMoreAccessesUpdateTheSameAlertToAnExactCountWithinOneWritePerInterval() {
        try (AlertWriter writer = writer(FAST)) {
            writer.publish(access(1, 4711, "cat", T0));
            await().until(() -> alertCount() == 1 && event() != null);
            long requestsAfterFirst = writer.apiRequests();

            for (int i = 2; i <= 101; i++) {
                writer.publish(access(i, 5000 + i, "cat", T0.plusMillis(i)));
            }
            writer.wake();
            // the interval has not passed: nothing may be written yet
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> writer.apiRequests() == requestsAfterFirst);

            clock.advance(Duration.ofSeconds(10));
            writer.wake();
            await().until(() -> alertCount() == 101 && event().getCount() == 101);
            assertThat(writer.apiRequests() - requestsAfterFirst)
                    .as("one status patch and one Event patch")
                    .isEqualTo(2);
            assertThat(writer.writeErrors()).isZero();
        }
        assertThat(client.resources(HoneytokenAlert.class)
                        .inNamespace("cms")
                        .list()
                        .getItems())
                .hasSize(1);
        HoneytokenAlertStatus status = alert().getStatus();
        assertThat(status.recentProcesses).hasSize(AlertState.RECENT_PROCESSES);
        assertThat(status.recentProcesses.getFirst().pid).isEqualTo(5101);
        assertThat(status.process.pid).isEqualTo(5101);
        assertThat(status.firstSeen).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(status.lastSeen).isEqualTo("2026-11-23T10:00:00.101Z");
    }

    @Test
    void accessesDuringAnApiOutageArriveWithExactCountsWhenItReturns() {
        try (AlertWriter writer = writer(FAST)) {
            writer.publish(access(1, 4711, "cat", T0));
            await().until(() -> alertCount() == 1);

            apiServer.stop();
            clock.advance(Duration.ofSeconds(10));
            for (int i = 2; i <= 50; i++) {
                writer.publish(access(i, 4711, "cat", T0.plusSeconds(i)));
            }
            TokenRef other = Alerts.tokenInPod("other-pod", "uid-other");
            writer.publish(access(other, 1, 99, "sh", T0.plusSeconds(51)));
            await().until(() -> writer.writeErrors() > 0);
            assertThat(writer.pending()).isEqualTo(2);

            apiServer.restart();
            await().until(() -> writer.pending() == 0);
        }
        assertThat(alertCount()).isEqualTo(50);
        assertThat(event().getCount()).isEqualTo(50);
        HoneytokenAlert second = client.resources(HoneytokenAlert.class)
                .inNamespace("cms")
                .withName(
                        AlertKey.of(Alerts.tokenInPod("other-pod", "uid-other").workload(), PATH)
                                .objectName())
                .get();
        assertThat(second.getStatus().count).isEqualTo(1);
        assertThat(second.getStatus().process.comm).isEqualTo("sh");
    }

    @Test
    void alertsPendingAtShutdownAreDeliveredByTheNextAgentRun() throws Exception {
        apiServer.stop();
        try (AlertWriter writer = writer(FAST)) {
            for (int i = 1; i <= 5; i++) {
                writer.publish(access(i, 4711, "cat", T0.plusSeconds(i)));
            }
            await().until(() -> writer.writeErrors() > 0);
        }
        assertThat(Files.readString(stateDir.resolve(PendingAlertsFile.FILE_NAME)))
                .contains("\"count\":5");

        apiServer.restart();
        clock.advance(Duration.ofMinutes(1));
        try (AlertWriter writer = writer(FAST)) {
            await().until(() -> alertCount() == 5);
            // the new run's kernel counter starts again at 1: the three new opens add to the five
            for (int i = 1; i <= 3; i++) {
                writer.publish(access(i, 4800, "cat", T0.plusSeconds(100 + i)));
            }
            clock.advance(Duration.ofSeconds(10));
            writer.wake();
            await().until(() -> alertCount() == 8);
            await().until(() -> writer.pending() == 0);
        }
        assertThat(event().getCount()).isEqualTo(8);
        assertThat(alert().getStatus().firstSeen).isEqualTo("2026-11-23T10:00:01Z");
        assertThat(Files.readString(stateDir.resolve(PendingAlertsFile.FILE_NAME)))
                .doesNotContain("count");
    }

    @Test
    void anAlertFromBeforeAnAgentRestartContinuesItsCount() {
        HoneytokenAlert earlier = AlertResources.alert(new AlertRecord(
                AlertKey.of(KUBE, PATH),
                "worker-1",
                "c0ffee",
                KUBE.image(),
                "fake-aws-credentials",
                Severity.HIGH,
                "syscall",
                40,
                T0.minusSeconds(3600),
                T0.minusSeconds(60),
                List.of(new SeenProcess(
                        new Opener(12, 12, 0, 0, "curl", "/usr/bin/curl", "curl"), T0.minusSeconds(60))),
                false,
                true));
        client.resource(earlier).create();
        client.resources(HoneytokenAlert.class)
                .inNamespace("cms")
                .withName(earlier.getMetadata().getName())
                .subresource("status")
                .patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        io.fabric8.kubernetes.client.utils.Serialization.asJson(Map.of(
                                "status",
                                AlertResources.status(new AlertRecord(
                                        AlertKey.of(KUBE, PATH),
                                        "worker-1",
                                        "c0ffee",
                                        KUBE.image(),
                                        "fake-aws-credentials",
                                        Severity.HIGH,
                                        "syscall",
                                        40,
                                        T0.minusSeconds(3600),
                                        T0.minusSeconds(60),
                                        List.of(new SeenProcess(
                                                new Opener(12, 12, 0, 0, "curl", "/usr/bin/curl", "curl"),
                                                T0.minusSeconds(60))),
                                        false,
                                        true)))));
        assertThat(alertCount()).isEqualTo(40);

        try (AlertWriter writer = writer(FAST)) {
            writer.publish(access(1, 4711, "cat", T0));
            await().until(() -> alertCount() == 41);
        }
        HoneytokenAlertStatus status = alert().getStatus();
        assertThat(status.firstSeen).isEqualTo(T0.minusSeconds(3600).toString());
        assertThat(status.recentProcesses).extracting(p -> p.comm).containsExactly("cat", "curl");
    }

    @Test
    void undeliveredAlertsAreBoundedAndTheOldestIsDroppedAndCounted() {
        apiServer.stop();
        AlertWriter.Settings small = new AlertWriter.Settings(
                Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(10), 3);
        try (AlertWriter writer = writer(small)) {
            for (int i = 1; i <= 5; i++) {
                writer.publish(access(Alerts.tokenInPod("pod-" + i, "uid-" + i), 1, 100 + i, "cat", T0));
            }
            assertThat(writer.pending()).isEqualTo(3);
            assertThat(writer.dropped()).isEqualTo(2);
        }
        apiServer.restart();
    }

    /** What this agent writes for {@link Alerts#TOKEN}, as a record (spec fields only matter). */
    private static AlertRecord ours(long count) {
        return new AlertRecord(
                AlertKey.of(KUBE, PATH),
                "worker-1",
                "c0ffee",
                KUBE.image(),
                "fake-aws-credentials",
                Severity.HIGH,
                "syscall",
                count,
                T0,
                T0,
                List.of(new SeenProcess(new Opener(12, 12, 0, 0, "curl", "/usr/bin/curl", "curl"), T0)),
                false,
                true);
    }

    /** Pre-creates an alert with the given spec and a raw status (so any malformed value can be planted). */
    private void preCreate(HoneytokenAlert alert, Map<String, Object> status) {
        client.resource(alert).create();
        client.resources(HoneytokenAlert.class)
                .inNamespace(alert.getMetadata().getNamespace())
                .withName(alert.getMetadata().getName())
                .subresource("status")
                .patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        io.fabric8.kubernetes.client.utils.Serialization.asJson(Map.of("status", status)));
    }

    @Test
    void aPreExistingAlertWithMalformedStatusNeverStopsTheWriter() {
        preCreate(
                AlertResources.alert(ours(7)),
                Map.of(
                        "count",
                        7,
                        "firstSeen",
                        "yesterday, around noon",
                        "recentProcesses",
                        List.of(Map.of("pid", 1, "comm", "x", "time", "not-a-time"))));
        TokenRef other = Alerts.tokenInPod("other-pod", "uid-other");
        String otherName = AlertKey.of(other.workload(), PATH).objectName();
        try (AlertWriter writer = writer(FAST)) {
            writer.publish(access(1, 4711, "cat", T0));
            writer.publish(access(other, 1, 99, "sh", T0));
            await().until(() -> {
                HoneytokenAlert second = client.resources(HoneytokenAlert.class)
                        .inNamespace("cms")
                        .withName(otherName)
                        .get();
                return second != null && second.getStatus() != null;
            });
            await().until(() -> alertCount() == 8);

            // the writer still runs: a later access is written too
            clock.advance(Duration.ofSeconds(10));
            writer.publish(access(2, 4711, "cat", T0.plusSeconds(10)));
            await().until(() -> alertCount() == 9);
        }
        assertThat(alert().getStatus().firstSeen).isEqualTo("2026-11-23T10:00:00Z");
    }

    private List<HoneytokenAlert> alertsInCms() {
        return client.resources(HoneytokenAlert.class).inNamespace("cms").list().getItems();
    }

    @Test
    void theAlertOfAnEarlierContainerOfThePodOrAnotherTierOrSeverityIsAdoptedNotSquatted() {
        // written before: the container restarted since (new id), the agent then ran another tier, and the policy's
        // severity was edited; it was an agent of a release that wrote no spec.access; the alert's name is the same
        // and so is what it stands for
        HoneytokenAlert earlier = AlertResources.alert(ours(5));
        earlier.getSpec().access = null;
        earlier.getSpec().container.id = "the-container-before-its-restart";
        earlier.getSpec().container.image = "docker.io/library/simplecms:0";
        earlier.getSpec().detector = "lsm";
        earlier.getSpec().severity = Severity.MEDIUM;
        preCreate(earlier, Map.of("count", 5, "firstSeen", "2026-11-23T09:00:00Z", "lastSeen", "2026-11-23T09:00:00Z"));

        try (AlertWriter writer = writer(FAST)) {
            writer.publish(access(1, 4711, "cat", T0));
            await().until(() -> alertCount() == 6);
            assertThat(writer.squatted()).isZero();
        }
        assertThat(alertsInCms()).hasSize(1);
        assertThat(alert().getStatus().firstSeen).isEqualTo("2026-11-23T09:00:00Z");
    }

    @Test
    void aSquattedAlertIsNeverAdoptedAndTheRealOneIsWrittenUnderAnotherNameWithExactCounts() {
        String usual = AlertKey.of(KUBE, PATH).objectName();
        HoneytokenAlert forged = AlertResources.alert(ours(1000));
        forged.getSpec().policy = "nothing-to-see";
        forged.getSpec().container.id = "not-the-real-container";
        forged.getSpec().access = Access.USE;
        preCreate(forged, Map.of("count", 1000, "firstSeen", "2020-01-01T00:00:00Z"));

        String alias;
        try (AlertWriter writer = writer(FAST)) {
            writer.publish(access(1, 4711, "cat", T0));
            await().until(() ->
                    alertsInCms().size() == 2 && alertsInCms().stream().allMatch(a -> a.getStatus() != null));
            assertThat(writer.squatted()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(10));
            writer.publish(access(3, 4712, "cat", T0.plusSeconds(10)));
            alias = alertsInCms().stream()
                    .map(a -> a.getMetadata().getName())
                    .filter(n -> !n.equals(usual))
                    .findFirst()
                    .orElseThrow();
            await().until(() -> countOf(alias) == 3);
            assertThat(writer.squatted()).isEqualTo(1);
        }
        // the squatted object is left as it was: not adopted, not counted into
        HoneytokenAlert squatted = alertsInCms().stream()
                .filter(a -> a.getMetadata().getName().equals(usual))
                .findFirst()
                .orElseThrow();
        assertThat(squatted.getSpec().policy).isEqualTo("nothing-to-see");
        assertThat(squatted.getStatus().count).isEqualTo(1000);
        assertThat(squatted.getStatus().firstSeen).isEqualTo("2020-01-01T00:00:00Z");
        // the real alert: our spec, our counts, its Event under the same name
        HoneytokenAlert real = client.resources(HoneytokenAlert.class)
                .inNamespace("cms")
                .withName(alias)
                .get();
        assertThat(alias).startsWith("simplecms-6c4bfc97cd-wdnhv-").hasSizeLessThanOrEqualTo(63);
        assertThat(real.getSpec().policy).isEqualTo("fake-aws-credentials");
        assertThat(real.getSpec().container.id).isEqualTo("c0ffee");
        assertThat(real.getStatus().firstSeen).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(client.v1().events().inNamespace("cms").withName(alias).get().getCount())
                .isEqualTo(3);

        // a restarted agent (same state dir, so the same key) finds its alert under the other name again
        try (AlertWriter writer = writer(FAST)) {
            writer.publish(access(1, 4713, "cat", T0.plusSeconds(20)));
            await().until(() -> countOf(alias) == 4);
        }
        assertThat(alertsInCms()).hasSize(2);
    }

    private long countOf(String name) {
        HoneytokenAlert alert = client.resources(HoneytokenAlert.class)
                .inNamespace("cms")
                .withName(name)
                .get();
        return alert == null || alert.getStatus() == null || alert.getStatus().count == null
                ? -1
                : alert.getStatus().count;
    }

    @Test
    void anAlertTheApiServerKeepsFailingIsDroppedAndCountedWhileOthersAreWritten() {
        TokenRef poison = Alerts.tokenInPod("poison-pod", "uid-poison");
        String poisonName = AlertKey.of(poison.workload(), PATH).objectName();
        // what a real API server answered to a status larger than etcd takes
        apiServer.fail(
                r -> r.getPath().contains("/honeytokenalerts/" + poisonName + "/status"),
                500,
                "rpc error: code = ResourceExhausted desc = trying to send message larger than max");
        try (AlertWriter writer = writer(FAST)) {
            writer.publish(access(poison, 1, 66, "sh", T0));
            await().until(() -> writer.writeErrors() > 0);
            writer.publish(access(1, 4711, "cat", T0));
            // the other alert flows while the poison one is retried
            await().until(() -> alertCount() == 1 && event() != null);
            await().until(() -> {
                clock.advance(Duration.ofSeconds(1));
                writer.wake();
                return writer.rejected() == 1;
            });
            await().until(() -> writer.pending() == 0);
            long errors = writer.writeErrors();
            assertThat(errors).isLessThanOrEqualTo(AlertWriter.Settings.DEFAULT_MAX_ATTEMPTS);

            // nothing retries it any more, and later alerts still flow
            clock.advance(Duration.ofSeconds(10));
            writer.publish(access(2, 4712, "cat", T0.plusSeconds(10)));
            await().until(() -> alertCount() == 2);
            assertThat(writer.writeErrors()).isEqualTo(errors);
        }
        assertThat(Files.exists(stateDir.resolve(PendingAlertsFile.FILE_NAME)) ? readPending() : "")
                .doesNotContain("poison-pod");
    }

    @Test
    void anAlertTheApiServerRefusesForGoodIsDroppedAtOnceAndCounted() {
        TokenRef poison = Alerts.tokenInPod("poison-pod", "uid-poison");
        String poisonName = AlertKey.of(poison.workload(), PATH).objectName();
        apiServer.fail(r -> r.getPath().contains("/honeytokenalerts/" + poisonName + "/status"), 413, "too large");
        try (AlertWriter writer = writer(FAST)) {
            writer.publish(access(poison, 1, 66, "sh", T0));
            writer.publish(access(1, 4711, "cat", T0));
            await().until(() -> writer.rejected() == 1);
            await().until(() -> alertCount() == 1 && event() != null);
            assertThat(writer.writeErrors()).isEqualTo(1);
        }
    }

    private String readPending() {
        try {
            return Files.readString(stateDir.resolve(PendingAlertsFile.FILE_NAME));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
