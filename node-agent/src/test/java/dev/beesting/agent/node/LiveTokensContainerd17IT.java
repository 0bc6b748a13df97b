package dev.beesting.agent.node;

/** Live tokens and policy changes on containerd 1.7 (Debian trixie). */
class LiveTokensContainerd17IT extends LiveTokensE2E {
    @Override
    protected String containerdVersion() {
        return "1.7";
    }
}
