package dev.beesting.agent.alerts;

import dev.beesting.agent.model.ContainerInit;
import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.Origin;
import dev.beesting.agent.model.TokenRef;

/**
 * Decides an opener's {@link Origin} from its parent chain and the token's container. A container's processes share
 * its mount namespace; its own tree descends from its first process, whose parent (the runtime's shim) is outside
 * it. A process the runtime starts in it later ({@code kubectl exec}) joins that namespace from outside, so its
 * chain leaves the namespace at itself or at one of its own ancestors, never at the first process. The container's
 * namespace is the one recorded at its start ({@link ContainerInit}), never read again at alert time.
 */
final class Origins {
    private Origins() {}

    static Origin decide(Opener opener, TokenRef token) {
        Lineage lineage = opener.lineage();
        if (token.workload() == null) {
            return Origin.HOST; // standalone: the token is the node's own file
        }
        ContainerInit init = token.containerInit();
        if (lineage.mountNamespace() == 0 || !init.known()) {
            return Origin.UNKNOWN;
        }
        if (lineage.mountNamespace() != init.mountNamespace()) {
            return Origin.HOST;
        }
        if (opener.tgid() == init.pid() || lineage.entryTgid() == init.pid()) {
            return Origin.CONTAINER;
        }
        return lineage.entryTgid() == 0 ? Origin.UNKNOWN : Origin.EXEC;
    }
}
