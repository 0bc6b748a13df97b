package dev.beesting.agent.tokens;

import dev.beesting.agent.detect.Detector;
import dev.beesting.agent.model.ContainerInit;
import dev.beesting.agent.model.Workload;
import dev.beesting.agent.tokens.PolicyMatcher.WantedToken;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import dev.beesting.api.nodeconfig.NodeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the runtime and the detector: plants the tokens of matching policies for a new container (as mounts) or
 * into a running one (live, see {@link LiveReconcile}), arms them, takes them away when the container goes or the
 * policy no longer selects it, and re-arms what survives an agent restart. Never throws to its caller: a fault
 * fails one token (logged and counted), never a container. One lock orders every change.
 */
public final class TokenPlanter {
    private static final Logger LOG = LoggerFactory.getLogger(TokenPlanter.class);

    private final PolicyMatcher policies;
    private final ContainerRegistry containers = new ContainerRegistry();
    private final PlantingFailures failures = new PlantingFailures();
    private final SkippedTokens skipped = new SkippedTokens();
    private final ContainerLocks locks = new ContainerLocks();
    private final ArmedTokens tokens;
    private final TokenContents contents;
    private final MountPlanting mounts;
    private final LivePlanting live;
    private final LiveReconcile reconcile;
    private final String nodeName;

    public TokenPlanter(
            Path stateDir,
            Detector detector,
            TemplateRenderer renderer,
            Supplier<NodeConfig> config,
            NamespaceLabelSource namespaces,
            String nodeName) {
        this.policies = new PolicyMatcher(config, namespaces);
        this.nodeName = nodeName;
        this.tokens = new ArmedTokens(stateDir, nodeName, detector, failures);
        this.contents = new TokenContents(renderer);
        this.mounts = new MountPlanting(stateDir, detector);
        this.live = new LivePlanting(detector);
        this.reconcile = new LiveReconcile(policies, tokens, contents, mounts, live, failures, skipped);
    }

    /** Like {@link #plant(Workload, Set)} for a container that mounts nothing of its own. */
    public List<TokenMount> plant(Workload workload) {
        return plant(workload, List.of());
    }

    /**
     * Plants and arms the tokens for a container being created; returns the mounts to add. A token that would
     * replace or hide one of the container's own {@code containerMounts} is skipped. Waits for no other container.
     */
    public List<TokenMount> plant(Workload workload, List<ContainerMount> containerMounts) {
        return locks.locked(workload.containerId(), () -> plantLocked(workload, containerMounts));
    }

    private List<TokenMount> plantLocked(Workload workload, List<ContainerMount> containerMounts) {
        containers.created(new RunningContainer(workload, containerMounts, 0));
        Set<String> mountPoints = mounts.notOurs(containerMounts);
        List<TokenMount> added = new ArrayList<>();
        List<PlantedToken> armed = new ArrayList<>();
        List<ContainerRecord.Entry> entries = new ArrayList<>();
        TemplateRenderer.Rendering rendering = contents.forContainer(workload);
        int index = 0;
        for (WantedToken wanted : skipped.withoutShadowing(workload, mountPoints, policies.wanted(workload))
                .values()) {
            CompiledToken token = wanted.token();
            int n = index++;
            try {
                PlantedToken planted = mounts.plant(workload, n, wanted, TokenContents.content(rendering, wanted));
                armed.add(planted);
                entries.add(ContainerRecord.Entry.mount(
                        n, token.path(), wanted.policy().name()));
                added.add(new TokenMount(planted.hostFile(), token.path()));
            } catch (TemplateException | IOException | RuntimeException e) {
                failures.failed(
                        "token not planted, container continues without it", workload.containerId(), token.path(), e);
            }
        }
        if (!armed.isEmpty()) {
            tokens.add(workload.containerId(), armed, new ContainerRecord(workload, entries));
            LOG.info(
                    "tokens planted namespace={} pod={} container={} tokens={}",
                    workload.namespace(),
                    workload.pod(),
                    workload.container(),
                    armed.size());
        }
        return added;
    }

    /**
     * A container started: its pid opens the way into its filesystem for live tokens. Its mounts show which of the
     * tokens planted for it the runtime really mounted: one whose answer came too late (the runtime created the
     * container without it) is disarmed and deleted, and live planting brings it in instead.
     */
    public void started(RunningContainer container) {
        containers.update(container);
        locks.locked(container.id(), () -> dropMountsNeverMade(container));
    }

    private void dropMountsNeverMade(RunningContainer container) {
        if (container.mounts().isEmpty() || !tokens.known(container.id())) {
            return; // the runtime did not list mounts: nothing to tell
        }
        List<ContainerRecord.Entry> entries =
                new ArrayList<>(tokens.record(container).tokens());
        List<ContainerRecord.Entry> neverMade = mounts.neverMade(container, entries);
        if (neverMade.isEmpty()) {
            return;
        }
        List<PlantedToken> armed = new ArrayList<>(tokens.of(container.id()));
        for (ContainerRecord.Entry entry : neverMade) {
            armed.stream().filter(t -> t.path().equals(entry.path())).forEach(t -> tokens.disarm(container.id(), t));
            armed.removeIf(t -> t.path().equals(entry.path()));
            entries.remove(entry);
            mounts.delete(container.id(), entry);
        }
        tokens.replace(container, armed, entries);
    }

    /** Disarms, then deletes, every token of a container that is gone. */
    public void remove(String containerId) {
        locks.locked(containerId, () -> removeLocked(containerId));
    }

    private void removeLocked(String containerId) {
        containers.remove(containerId);
        reconcile.forget(containerId);
        skipped.forget(containerId);
        Optional<List<PlantedToken>> armed = tokens.forget(containerId);
        try {
            mounts.deleteContainer(containerId);
            tokens.deleteSaved(containerId);
        } catch (IOException e) {
            failures.counted();
            LOG.error(
                    "token files of a removed container not deleted container={} error={}", containerId, e.toString());
        }
        armed.ifPresent(removed -> LOG.info("tokens removed container={} tokens={}", containerId, removed.size()));
        locks.forget(containerId);
    }

    /** Like {@link #synchronize(List)} for callers that only know container ids (no live tokens re-armed). */
    public void synchronize(Collection<String> runningContainerIds) {
        synchronize(runningContainerIds.stream()
                .map(id -> RunningContainer.withoutPod(nodeName, id, 0))
                .toList());
    }

    /**
     * Brings the agent's state in line with the containers the runtime reports now (after a restart or reconnect):
     * re-arms the tokens of running containers planted earlier, removes those of containers that are gone. Call
     * {@link #reconcile()} afterwards to plant into containers that lack tokens.
     */
    public void synchronize(List<RunningContainer> reported) {
        Map<String, RunningContainer> running = new HashMap<>();
        reported.forEach(c -> running.put(c.id(), c));
        Set<String> known = new HashSet<>(tokens.containerIds());
        known.addAll(containers.ids());
        try {
            known.addAll(tokens.savedIds());
            known.addAll(mounts.containersOnDisk());
        } catch (IOException e) {
            LOG.error("state dir not readable during synchronize error={}", e.toString());
        }
        for (String id : known) {
            if (!running.containsKey(id)) {
                remove(id);
            }
        }
        running.values().stream().filter(RunningContainer::podKnown).forEach(containers::update);
        for (RunningContainer container : running.values()) {
            locks.locked(container.id(), () -> {
                if (!tokens.known(container.id())) {
                    rearm(container);
                }
            });
        }
    }

    private void rearm(RunningContainer container) {
        String containerId = container.id();
        Optional<ContainerRecord> record = tokens.saved(containerId);
        if (record.isEmpty()) {
            return;
        }
        Map<String, CompiledPolicy> byName = policies.byName();
        List<PlantedToken> armed = new ArrayList<>();
        List<ContainerRecord.Entry> kept = new ArrayList<>();
        Workload workload = record.get().workload();
        for (ContainerRecord.Entry entry : record.get().tokens()) {
            CompiledPolicy policy = byName.getOrDefault(entry.policy(), PolicyMatcher.orphanPolicy(entry.policy()));
            if (entry.emptied()) {
                kept.add(entry);
                continue;
            }
            try {
                armed.add(
                        switch (entry.kind()) {
                            case MOUNT -> mounts.rearm(containerId, entry, workload, policy, container.startedAt());
                            case LIVE -> live.rearm(container, entry, workload, policy);
                        });
                kept.add(entry);
            } catch (IOException | RuntimeException e) {
                failures.failed("token not re-armed", containerId, entry.path(), e);
                if (entry.kind() == ContainerRecord.Kind.MOUNT) {
                    kept.add(entry);
                }
            }
        }
        tokens.add(containerId, armed, new ContainerRecord(workload, kept));
        LOG.info("tokens re-armed container={} tokens={}", containerId, armed.size());
    }

    /**
     * Makes every started container carry exactly the tokens of the policies that select it now: plants missing
     * ones live, disarms and takes away those no policy wants any more. Idempotent; each container is handled under
     * its own lock, so NRI calls for other containers never wait on it.
     *
     * @return how many tokens were planted or taken away
     */
    public int reconcile() {
        if (configGeneration() == 0) {
            // no config known yet (the Secret missing, unreadable or rejected at start): not "no policies". What is
            // armed stays armed, with its action, until a config arrives
            return 0;
        }
        int changes = 0;
        for (String id : containers.ids()) {
            changes += reconcile(id);
        }
        return changes;
    }

    int reconcile(String containerId) {
        return locks.locked(containerId, () -> {
            RunningContainer container = containers.get(containerId);
            if (container == null || !container.started()) {
                return 0;
            }
            return reconcile.reconcile(container);
        });
    }

    /** The generation of the node config that policies are matched against now. */
    public long configGeneration() {
        return policies.generation();
    }

    /** The token armed under a detector id, for attribution. */
    public Optional<PlantedToken> token(long tokenId) {
        return tokens.token(tokenId);
    }

    /** A container's first process as recorded at its start; unknown before it started or once removed. */
    public ContainerInit containerInit(String containerId) {
        return containers.init(containerId);
    }

    /** The armed tokens of a container. */
    public List<PlantedToken> tokens(String containerId) {
        return tokens.of(containerId);
    }

    public int armedCount() {
        return tokens.count();
    }

    public long failures() {
        return failures.count();
    }

    /** Tokens skipped because their container mounts that path, in containers that still exist, by policy. */
    public Map<String, Integer> skippedByPolicy() {
        return skipped.byPolicy();
    }

    /** Every token skipped since start because its container mounts that path. */
    public long skippedTotal() {
        return skipped.total();
    }
}
