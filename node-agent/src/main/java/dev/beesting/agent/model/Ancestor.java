package dev.beesting.agent.model;

/**
 * One process up an opener's parent chain, as it was when the token was opened.
 *
 * @param pid the thread that started the process below it (the kernel's pid); its tgid where only /proc told
 * @param tgid its process id, in the node's PID namespace
 * @param comm its command name, bounded to {@link Opener#MAX_COMM}
 */
public record Ancestor(int pid, int tgid, String comm) {
    public Ancestor {
        comm = Opener.bound(comm, Opener.MAX_COMM);
    }
}
