package dev.beesting.agent.nri.plugin;

/** The NRI end-to-end suite on containerd 2.x (Debian sid), which splits Synchronize into chunks. */
class NriContainerd2IT extends NriContainerdE2E {
    @Override
    protected String containerdVersion() {
        return "2";
    }
}
