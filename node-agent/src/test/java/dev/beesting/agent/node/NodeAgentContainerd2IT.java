package dev.beesting.agent.node;

/** The node agent end to end on containerd 2.x (Debian sid). */
class NodeAgentContainerd2IT extends NodeAgentContainerdE2E {
    @Override
    protected String containerdVersion() {
        return "2";
    }
}
