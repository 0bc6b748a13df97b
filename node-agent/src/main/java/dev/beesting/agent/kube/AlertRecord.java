package dev.beesting.agent.kube;

import com.fasterxml.jackson.annotation.JsonIgnore;
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
 * @param alias the object's name when the usual one was squatted by an object with another spec; null otherwise
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
        boolean adopted,
        String alias) {
    public AlertRecord {
        processes = processes == null ? List.of() : List.copyOf(processes);
    }

    /** A record under the usual name. */
    public AlertRecord(
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
        this(
                key,
                node,
                containerId,
                image,
                policy,
                severity,
                detector,
                count,
                firstSeen,
                lastSeen,
                processes,
                denied,
                adopted,
                null);
    }

    /** The name of the HoneytokenAlert and its Event in the cluster. */
    @JsonIgnore
    public String objectName() {
        return alias != null ? alias : key.objectName();
    }

    /** The latest process. */
    public SeenProcess latest() {
        return processes.getFirst();
    }
}
