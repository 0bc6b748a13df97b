package dev.beesting.agent.tokens;

/**
 * One mount of a container as the runtime reports it.
 *
 * @param destination where it appears in the container
 * @param source what is mounted there, on the host (a path for bind mounts, a name such as "proc" otherwise)
 */
public record ContainerMount(String destination, String source) {
    public ContainerMount {
        destination = destination == null ? "" : destination;
        source = source == null ? "" : source;
    }
}
