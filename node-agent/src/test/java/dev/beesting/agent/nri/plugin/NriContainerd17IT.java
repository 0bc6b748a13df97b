package dev.beesting.agent.nri.plugin;

/** The NRI end-to-end suite on containerd 1.7 (Debian trixie). */
class NriContainerd17IT extends NriContainerdE2E {
    @Override
    protected String containerdVersion() {
        return "1.7";
    }
}
