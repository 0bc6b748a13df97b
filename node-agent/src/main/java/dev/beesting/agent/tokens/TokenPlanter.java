package dev.beesting.agent.tokens;

import dev.beesting.agent.detect.AccessAction;
import dev.beesting.agent.detect.Detector;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.LabelSelectors;
import dev.beesting.api.v1alpha1.PolicyAction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the runtime and the detector: plants the tokens of matching policies for a new container (as mounts) or
 * into a running one (live, see {@link LiveReconcile}), arms them, takes them away when the container goes or the
 * policy no longer selects it, and re-arms what survives an agent restart. Never throws to its caller: a fault
 * fails one token (logged and counted), never a container.
 */
public final class TokenPlanter {
    private static final Logger LOG = LoggerFactory.getLogger(TokenPlanter.class);

    final TokenFiles files;
    private final ContainerRecords records;
    final Detector detector;
    final TemplateRenderer renderer;
    private final Supplier<NodeConfig> config;
    final String nodeName;
    private final Map<Long, PlantedToken> byId = new ConcurrentHashMap<>();
    private final Map<String, List<PlantedToken>> byContainer = new ConcurrentHashMap<>();
    /** The current record of every container with tokens, including emptied mounts. */
    private final Map<String, ContainerRecord> planted = new ConcurrentHashMap<>();
    /** Every container the runtime reported and has not removed. */
    private final Map<String, RunningContainer> containers = new ConcurrentHashMap<>();

    private final AtomicLong failures = new AtomicLong();
    private final LiveReconcile live;

    public TokenPlanter(
            Path stateDir, Detector detector, TemplateRenderer renderer, Supplier<NodeConfig> config, String nodeName) {
        this.files = new TokenFiles(stateDir);
        this.records = new ContainerRecords(stateDir);
        this.detector = detector;
        this.renderer = renderer;
        this.config = config;
        this.nodeName = nodeName;
        this.live = new LiveReconcile(this);
    }

    /** The policies of the current config that select this pod. */
    public List<CompiledPolicy> matching(PodInfo pod) {
        return config.get().policies().stream()
                .filter(p -> p.namespaces().contains(pod.namespace()))
                .filter(p -> LabelSelectors.matches(p.podSelector(), pod.labels()))
                .toList();
    }

    /** The tokens a pod should have, by path; when two policies name the same path the first one wins. */
    Map<String, Wanted> wanted(PodInfo pod) {
        Map<String, Wanted> wanted = new LinkedHashMap<>();
        for (CompiledPolicy policy : matching(pod)) {
            for (CompiledToken token : policy.tokens()) {
                wanted.putIfAbsent(token.path(), new Wanted(policy, token));
            }
        }
        return wanted;
    }

    /** A token of a policy that selects the container. */
    record Wanted(CompiledPolicy policy, CompiledToken token) {}

    /** Plants and arms the tokens for a container being created; returns the mounts to add. */
    public synchronized List<TokenMount> plant(PodInfo pod, ContainerInfo container) {
        containers.putIfAbsent(container.id(), new RunningContainer(pod, container, 0));
        List<TokenMount> mounts = new ArrayList<>();
        List<PlantedToken> armed = new ArrayList<>();
        List<ContainerRecord.Entry> entries = new ArrayList<>();
        TemplateRenderer.Rendering rendering = renderer.forContainer(context(pod, container));
        int index = 0;
        for (Wanted wanted : wanted(pod).values()) {
            CompiledToken token = wanted.token();
            CompiledPolicy policy = wanted.policy();
            int n = index++;
            try {
                Path file = files.write(container.id(), n, content(rendering, token), token.modeBits());
                long id = detector.arm(file, action(policy));
                armed.add(new PlantedToken(id, file, token.path(), pod, container, policy));
                entries.add(ContainerRecord.Entry.mount(n, token.path(), policy.name()));
                mounts.add(new TokenMount(file, token.path()));
            } catch (TemplateException | IOException | RuntimeException e) {
                failed("token not planted, container continues without it", container.id(), token.path(), e);
            }
        }
        if (!armed.isEmpty()) {
            remember(container.id(), armed);
            update(new ContainerRecord(pod, container, entries));
            LOG.info(
                    "tokens planted namespace={} pod={} container={} tokens={}",
                    pod.namespace(),
                    pod.name(),
                    container.name(),
                    armed.size());
        }
        return mounts;
    }

    /** A container started: its pid opens the way into its filesystem for live tokens. */
    public synchronized void started(RunningContainer container) {
        containers.put(container.id(), container);
    }

    /** Disarms, then deletes, every token of a container that is gone. */
    public synchronized void remove(String containerId) {
        containers.remove(containerId);
        live.forget(containerId);
        planted.remove(containerId);
        List<PlantedToken> armed = byContainer.remove(containerId);
        if (armed != null) {
            armed.forEach(this::disarm);
        }
        try {
            files.deleteContainer(containerId);
            records.delete(containerId);
        } catch (IOException e) {
            failures.incrementAndGet();
            LOG.error(
                    "token files of a removed container not deleted container={} error={}", containerId, e.toString());
        }
        if (armed != null) {
            LOG.info("tokens removed container={} tokens={}", containerId, armed.size());
        }
    }

    /** Like {@link #synchronize(List)} for callers that only know container ids (no live tokens re-armed). */
    public void synchronize(Collection<String> runningContainerIds) {
        synchronize(runningContainerIds.stream()
                .map(id -> new RunningContainer(null, new ContainerInfo(id, "", ""), 0))
                .toList());
    }

    /**
     * Brings the agent's state in line with the containers the runtime reports now (after a restart or reconnect):
     * re-arms the tokens of running containers planted earlier, removes those of containers that are gone. Call
     * {@link #reconcile()} afterwards to plant into containers that lack tokens.
     */
    public synchronized void synchronize(List<RunningContainer> reported) {
        Map<String, RunningContainer> running = new HashMap<>();
        reported.forEach(c -> running.put(c.id(), c));
        Set<String> known = new HashSet<>(byContainer.keySet());
        known.addAll(containers.keySet());
        try {
            known.addAll(records.ids());
            known.addAll(files.containersOnDisk());
        } catch (IOException e) {
            LOG.error("state dir not readable during synchronize error={}", e.toString());
        }
        for (String id : known) {
            if (!running.containsKey(id)) {
                remove(id);
            }
        }
        running.values().stream().filter(c -> c.pod() != null).forEach(c -> containers.put(c.id(), c));
        for (RunningContainer container : running.values()) {
            if (!byContainer.containsKey(container.id())) {
                rearm(container);
            }
        }
    }

    private void rearm(RunningContainer container) {
        String containerId = container.id();
        Optional<ContainerRecord> record = records.load(containerId);
        if (record.isEmpty()) {
            return;
        }
        Map<String, CompiledPolicy> policies = new HashMap<>();
        config.get().policies().forEach(p -> policies.put(p.name(), p));
        List<PlantedToken> armed = new ArrayList<>();
        List<ContainerRecord.Entry> kept = new ArrayList<>();
        PodInfo pod = record.get().pod();
        ContainerInfo info = record.get().container();
        for (ContainerRecord.Entry entry : record.get().tokens()) {
            CompiledPolicy policy = policies.getOrDefault(entry.policy(), orphanPolicy(entry.policy()));
            if (entry.emptied()) {
                kept.add(entry);
                continue;
            }
            try {
                armed.add(
                        switch (entry.kind()) {
                            case MOUNT -> {
                                Path file = files.file(containerId, entry.index());
                                yield new PlantedToken(
                                        detector.arm(file, action(policy)), file, entry.path(), pod, info, policy);
                            }
                            case LIVE -> live.rearm(container, entry, pod, info, policy);
                        });
                kept.add(entry);
            } catch (IOException | RuntimeException e) {
                failed("token not re-armed", containerId, entry.path(), e);
                if (entry.kind() == ContainerRecord.Kind.MOUNT) {
                    kept.add(entry);
                }
            }
        }
        remember(containerId, armed);
        update(new ContainerRecord(pod, info, kept));
        LOG.info("tokens re-armed container={} tokens={}", containerId, armed.size());
    }

    /**
     * Makes every started container carry exactly the tokens of the policies that select it now: plants missing
     * ones live, disarms and takes away those no policy wants any more. Idempotent; each container is handled under
     * the lock on its own, so NRI calls are not held up behind a long pass.
     *
     * @return how many tokens were planted or taken away
     */
    public int reconcile() {
        int changes = 0;
        for (String id : List.copyOf(containers.keySet())) {
            changes += reconcile(id);
        }
        return changes;
    }

    synchronized int reconcile(String containerId) {
        RunningContainer container = containers.get(containerId);
        if (container == null || !container.started()) {
            return 0;
        }
        return live.reconcile(container);
    }

    // --- state shared with LiveReconcile; called with the lock held ---

    ContainerRecord record(RunningContainer container) {
        return planted.getOrDefault(
                container.id(), new ContainerRecord(container.pod(), container.container(), List.of()));
    }

    List<PlantedToken> armed(String containerId) {
        return byContainer.getOrDefault(containerId, List.of());
    }

    void replace(RunningContainer container, List<PlantedToken> armed, List<ContainerRecord.Entry> entries) {
        List<PlantedToken> before = byContainer.getOrDefault(container.id(), List.of());
        before.stream().filter(t -> !armed.contains(t)).forEach(this::disarm);
        remember(container.id(), armed);
        update(new ContainerRecord(container.pod(), container.container(), entries));
    }

    void failed(String what, String containerId, String path, Exception e) {
        failures.incrementAndGet();
        LOG.error("{} container={} path={} error={}", what, containerId, path, e.toString());
    }

    static TemplateContext context(PodInfo pod, ContainerInfo container, String nodeName) {
        return new TemplateContext(pod.name(), pod.namespace(), pod.uid(), container.name(), nodeName);
    }

    static String content(TemplateRenderer.Rendering rendering, CompiledToken token) throws TemplateException {
        return token.value() != null ? token.value() : rendering.render(token.template());
    }

    static AccessAction action(CompiledPolicy policy) {
        return policy.action() == PolicyAction.BLOCK ? AccessAction.BLOCK : AccessAction.ALERT;
    }

    /** The token armed under a detector id, for attribution. */
    public Optional<PlantedToken> token(long tokenId) {
        return Optional.ofNullable(byId.get(tokenId));
    }

    /** The armed tokens of a container. */
    public List<PlantedToken> tokens(String containerId) {
        return byContainer.getOrDefault(containerId, List.of());
    }

    public int armedCount() {
        return byId.size();
    }

    public long failures() {
        return failures.get();
    }

    private TemplateContext context(PodInfo pod, ContainerInfo container) {
        return context(pod, container, nodeName);
    }

    private void disarm(PlantedToken token) {
        byId.remove(token.tokenId());
        detector.disarm(token.tokenId());
    }

    private void remember(String containerId, List<PlantedToken> armed) {
        List<PlantedToken> stale = byContainer.put(containerId, List.copyOf(armed));
        if (stale != null) {
            stale.forEach(t -> byId.remove(t.tokenId()));
        }
        armed.forEach(t -> byId.put(t.tokenId(), t));
    }

    private void update(ContainerRecord record) {
        String id = record.container().id();
        try {
            if (record.tokens().isEmpty()) {
                planted.remove(id);
                records.delete(id);
            } else {
                planted.put(id, record);
                records.save(record);
            }
        } catch (IOException e) {
            failures.incrementAndGet();
            LOG.error(
                    "container record not saved, a restart will not re-arm it container={} error={}", id, e.toString());
        }
    }

    /** A policy that left the config while its container still runs keeps alerting under its name until reconciled. */
    static CompiledPolicy orphanPolicy(String name) {
        return new CompiledPolicy(name, null, 0, List.of(), null, List.of(), null, null, List.of());
    }
}
