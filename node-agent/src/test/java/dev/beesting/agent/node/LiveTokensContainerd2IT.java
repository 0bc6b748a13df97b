package dev.beesting.agent.node;

/** Live tokens and policy changes on containerd 2.x (Debian sid). */
class LiveTokensContainerd2IT extends LiveTokensE2E {
    @Override
    protected String containerdVersion() {
        return "2";
    }
}
