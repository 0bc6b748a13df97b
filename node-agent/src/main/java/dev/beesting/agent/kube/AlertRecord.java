package dev.beesting.agent.kube;

import dev.beesting.api.v1alpha1.Severity;
import java.time.Instant;
import java.util.List;

/**
 * Everything a HoneytokenAlert and its Event are rendered from; also the form pending alerts take on disk.
 *
 * @param key pod, container and path
 * @param node node name
 * @param containerId runtime container id
 * @param image container image
 * @param policy policy name
 * @param severity how urgent an access is
 * @param detector tier that saw the latest access
 * @param count total opens, exact, including those counted before an agent restart
 * @param firstSeen first open
 * @param lastSeen latest open
 * @param processes most recent distinct processes, newest first
 * @param denied whether the latest open was denied
 * @param adopted whether {@code count} already includes what an object from before this agent run counted
 */
public record AlertRecord(
        AlertKey key,
        String node,
        String containerId,
        String image,
        String policy,
        Severity severity,
        String detector,
        long count,
        Instant firstSeen,
        Instant lastSeen,
        List<SeenProcess> processes,
        boolean denied,
        boolean adopted) {
    public AlertRecord {
        processes = processes == null ? List.of() : List.copyOf(processes);
    }

    /** The latest process. */
    public SeenProcess latest() {
        return processes.getFirst();
    }
}
