package dev.beesting.operator.decoy;

import dev.beesting.api.decoy.DecoyOrigin;
import java.time.Instant;

/** The origin the decoy tests seal into their credentials: a kubeconfig planted into a CMS pod. */
final class DecoyFixtures {
    static final DecoyOrigin ORIGIN = new DecoyOrigin(
            "prod",
            "worker-1",
            "cms",
            "simplecms-6c4bfc97cd-wdnhv",
            "0b7c4e4a-3f0e-4a53-9d6e-2f9a8c1d5e77",
            "cms",
            "/root/.kube/config",
            "fake-kubeconfig",
            "critical",
            Instant.parse("2026-11-30T17:00:00Z"));

    private DecoyFixtures() {}
}
