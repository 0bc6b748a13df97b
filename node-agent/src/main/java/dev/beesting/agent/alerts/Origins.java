package dev.beesting.agent.alerts;

import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.Origin;
import dev.beesting.agent.model.TokenRef;
import dev.beesting.agent.sys.ProcFiles;
import java.util.function.IntToLongFunction;

/**
 * Decides an opener's {@link Origin} from its parent chain and the token's container. A container's processes share
 * its mount namespace; its own tree descends from its first process, whose parent (the runtime's shim) is outside
 * it. A process the runtime starts in it later ({@code kubectl exec}) joins that namespace from outside, so its
 * chain leaves the namespace at itself or at one of its own ancestors, never at the first process.
 */
final class Origins {
    private final IntToLongFunction mountNamespaceOf;

    /** @param mountNamespaceOf a process's mount namespace by pid, 0 when unknown */
    Origins(IntToLongFunction mountNamespaceOf) {
        this.mountNamespaceOf = mountNamespaceOf;
    }

    /** Reads namespaces from /proc. */
    static Origins fromProc() {
        return new Origins(ProcFiles::mountNamespace);
    }

    Origin decide(Opener opener, TokenRef token) {
        Lineage lineage = opener.lineage();
        if (token.workload() == null) {
            return Origin.HOST; // standalone: the token is the node's own file
        }
        if (lineage.mountNamespace() == 0 || token.containerPid() <= 0) {
            return Origin.UNKNOWN;
        }
        long container = mountNamespaceOf.applyAsLong(token.containerPid());
        if (container == 0) {
            return Origin.UNKNOWN;
        }
        if (lineage.mountNamespace() != container) {
            return Origin.HOST;
        }
        if (opener.tgid() == token.containerPid() || lineage.entryTgid() == token.containerPid()) {
            return Origin.CONTAINER;
        }
        return lineage.entryTgid() == 0 ? Origin.UNKNOWN : Origin.EXEC;
    }
}
