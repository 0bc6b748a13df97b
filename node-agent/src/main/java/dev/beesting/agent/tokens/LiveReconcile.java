package dev.beesting.agent.tokens;

import dev.beesting.agent.tokens.ContainerRecord.Entry;
import dev.beesting.agent.tokens.PolicyMatcher.WantedToken;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows policy changes in one started container: plants the tokens it lacks into its own filesystem (NRI can add
 * mounts only at creation), disarms those no policy wants any more, deletes live ones and empties mounted ones.
 * Runs under the planter's lock.
 */
final class LiveReconcile {
    private static final Logger LOG = LoggerFactory.getLogger(LiveReconcile.class);

    private final PolicyMatcher policies;
    private final ArmedTokens tokens;
    private final TokenContents contents;
    private final MountPlanting mounts;
    private final LivePlanting live;
    private final PlantingFailures failures;
    private final SkippedTokens skipped;
    /**
     * (container, path) pairs where planting failed, with the config generation that failed: retried with the next
     * config (it may fix the template, or bring the decoy settings a decoy credential waits for) or after an agent
     * restart, so counted once per config.
     */
    private final Map<String, Long> gaveUp = new ConcurrentHashMap<>();

    LiveReconcile(
            PolicyMatcher policies,
            ArmedTokens tokens,
            TokenContents contents,
            MountPlanting mounts,
            LivePlanting live,
            PlantingFailures failures,
            SkippedTokens skipped) {
        this.policies = policies;
        this.tokens = tokens;
        this.contents = contents;
        this.mounts = mounts;
        this.live = live;
        this.failures = failures;
        this.skipped = skipped;
    }

    int reconcile(RunningContainer container) {
        Map<String, WantedToken> wanted = skipped.withoutShadowing(
                container.workload(), mounts.notOurs(container.mounts()), policies.wanted(container.workload()));
        List<Entry> entries = new ArrayList<>(tokens.record(container).tokens());
        List<PlantedToken> armed = new ArrayList<>(tokens.of(container.id()));
        int changes = 0;
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry entry = entries.get(i);
            WantedToken want = wanted.get(entry.path());
            if (entry.emptied()) {
                continue;
            }
            if (want != null && want.policy().name().equals(entry.policy())) {
                changes += refresh(container, entry, want.policy(), armed);
                continue;
            }
            // disarmed before the file is touched: emptying an armed file is an open the detector would report (as
            // the agent, on the victim's pod) and one that lsm with Block would deny
            armed.stream()
                    .filter(t -> t.path().equals(entry.path()))
                    .toList()
                    .forEach(t -> tokens.disarm(container.id(), t));
            armed.removeIf(t -> t.path().equals(entry.path()));
            changes++;
            switch (entry.kind()) {
                case MOUNT -> {
                    empty(container, entry);
                    entries.set(i, entry.withEmptied(true, entry.policy()));
                }
                case LIVE -> {
                    delete(container, entry);
                    entries.remove(i);
                }
            }
        }
        TemplateRenderer.Rendering rendering = contents.forContainer(container.workload());
        int next = entries.stream().mapToInt(Entry::index).max().orElse(-1) + 1;
        for (WantedToken want : wanted.values()) {
            String path = want.token().path();
            int at = indexOf(entries, path);
            if ((at >= 0 && !entries.get(at).emptied())
                    || Objects.equals(gaveUp.get(key(container, path)), policies.generation())) {
                continue;
            }
            try {
                String content = TokenContents.content(rendering, want);
                if (at >= 0) {
                    armed.add(mounts.refill(container, entries.get(at), want, content));
                    entries.set(
                            at, entries.get(at).withEmptied(false, want.policy().name()));
                } else {
                    LivePlanting.Planted planted = live.plant(container, want, content);
                    armed.add(planted.token());
                    entries.add(Entry.live(next++, path, want.policy().name(), planted.ino()));
                }
                changes++;
            } catch (TemplateException | IOException | RuntimeException e) {
                gaveUp.put(key(container, path), policies.generation());
                failures.failed("token not planted into running container", container.id(), path, e);
            }
        }
        if (changes > 0) {
            tokens.replace(container, armed, entries);
            LOG.info(
                    "tokens reconciled namespace={} pod={} container={} changes={} armed={}",
                    container.workload().namespace(),
                    container.workload().pod(),
                    container.workload().container(),
                    changes,
                    armed.size());
        }
        return changes;
    }

    /**
     * Lets an edit of the policy reach a token it planted earlier: severity and ignoreProcesses at once, an action change
     * (Alert, Block) by arming the file again. The content stays what the container got: it is the value an attacker
     * may already hold, so it keeps identifying this container.
     */
    private int refresh(RunningContainer container, Entry entry, CompiledPolicy policy, List<PlantedToken> armed) {
        int at = -1;
        for (int i = 0; i < armed.size(); i++) {
            if (armed.get(i).path().equals(entry.path())) {
                at = i;
            }
        }
        if (at < 0 || armed.get(at).policy().equals(policy)) {
            return 0;
        }
        PlantedToken current = armed.get(at);
        if (current.policy().action() == policy.action()) {
            armed.set(
                    at,
                    new PlantedToken(
                            current.tokenId(),
                            current.hostFile(),
                            current.path(),
                            current.workload(),
                            policy,
                            current.containerStart()));
            return 1;
        }
        tokens.disarm(container.id(), current);
        armed.remove(at);
        try {
            armed.add(
                    switch (entry.kind()) {
                        case MOUNT ->
                            mounts.rearm(container.id(), entry, container.workload(), policy, current.containerStart());
                        case LIVE -> live.rearm(container, entry, container.workload(), policy);
                    });
        } catch (IOException | RuntimeException e) {
            failures.failed("token not armed again after a policy edit", container.id(), entry.path(), e);
        }
        return 1;
    }

    void forget(String containerId) {
        gaveUp.keySet().removeIf(k -> k.startsWith(containerId + "\0"));
    }

    private void empty(RunningContainer container, Entry entry) {
        try {
            mounts.empty(container, entry);
        } catch (IOException | RuntimeException e) {
            failures.failed("mounted token not emptied", container.id(), entry.path(), e);
        }
    }

    private void delete(RunningContainer container, Entry entry) {
        try {
            live.delete(container, entry);
        } catch (IOException | RuntimeException e) {
            failures.failed("live token not deleted", container.id(), entry.path(), e);
        }
    }

    private static int indexOf(List<Entry> entries, String path) {
        for (int i = 0; i < entries.size(); i++) {
            if (Objects.equals(entries.get(i).path(), path)) {
                return i;
            }
        }
        return -1;
    }

    private static String key(RunningContainer container, String path) {
        return container.id() + "\0" + path;
    }
}
