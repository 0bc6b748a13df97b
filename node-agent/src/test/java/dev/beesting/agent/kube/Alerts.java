package dev.beesting.agent.kube;

import dev.beesting.agent.alerts.Alert;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.TokenRef;
import dev.beesting.agent.model.Workload;
import dev.beesting.api.v1alpha1.PolicyAction;
import dev.beesting.api.v1alpha1.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Alerts as the pipeline would hand them to a sink, for the kube tests. */
final class Alerts {
    static final String PATH = "/var/run/secrets/eks.amazonaws.com/access_key_token";
    static final Workload KUBE = new Workload(
            "worker-1",
            "cms",
            "simplecms-6c4bfc97cd-wdnhv",
            "0b9c5a8e-1111-4c1e-9f00-5f2a7c3d9e01",
            Map.of(),
            "cms",
            "c0ffee",
            "docker.io/library/simplecms:1");
    static final TokenRef TOKEN =
            new TokenRef(PATH, "fake-aws-credentials", Severity.HIGH, PolicyAction.ALERT, List.of(), KUBE);

    private Alerts() {}

    static Alert access(TokenRef token, long count, int pid, String comm, Instant time) {
        return new Alert(
                time,
                token,
                new Opener(pid, pid, 0, 0, comm, "/bin/" + comm, comm + " " + token.path()),
                "syscall",
                count,
                false);
    }

    static Alert access(long count, int pid, String comm, Instant time) {
        return access(TOKEN, count, pid, comm, time);
    }

    static TokenRef tokenInPod(String pod, String podUid) {
        Workload kube = new Workload("worker-1", "cms", pod, podUid, Map.of(), "cms", "c0ffee", "busybox");
        return new TokenRef(PATH, "fake-aws-credentials", Severity.HIGH, PolicyAction.ALERT, List.of(), kube);
    }
}
