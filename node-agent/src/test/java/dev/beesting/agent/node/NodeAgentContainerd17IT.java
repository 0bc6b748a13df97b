package dev.beesting.agent.node;

/** The node agent end to end on containerd 1.7 (Debian trixie). */
class NodeAgentContainerd17IT extends NodeAgentContainerdE2E {
    @Override
    protected String containerdVersion() {
        return "1.7";
    }
}
