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
import java.util.HashSet;
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
 * Joins the runtime and the detector: plants the tokens of matching policies for a new container, arms them,
 * disarms and deletes them when the container goes, and re-arms what survives an agent restart. Never throws to
 * its caller: a fault fails one token (logged and counted), never a container.
 */
public final class TokenPlanter {
    private static final Logger LOG = LoggerFactory.getLogger(TokenPlanter.class);

    private final TokenFiles files;
    private final ContainerRecords records;
    private final Detector detector;
    private final TemplateRenderer renderer;
    private final Supplier<NodeConfig> config;
    private final String nodeName;
    private final Map<Long, PlantedToken> byId = new ConcurrentHashMap<>();
    private final Map<String, List<PlantedToken>> byContainer = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();

    public TokenPlanter(
            Path stateDir, Detector detector, TemplateRenderer renderer, Supplier<NodeConfig> config, String nodeName) {
        this.files = new TokenFiles(stateDir);
        this.records = new ContainerRecords(stateDir);
        this.detector = detector;
        this.renderer = renderer;
        this.config = config;
        this.nodeName = nodeName;
    }

    /** The policies of the current config that select this pod. */
    public List<CompiledPolicy> matching(PodInfo pod) {
        return config.get().policies().stream()
                .filter(p -> p.namespaces().contains(pod.namespace()))
                .filter(p -> LabelSelectors.matches(p.podSelector(), pod.labels()))
                .toList();
    }

    /** Plants and arms the tokens for a container being created; returns the mounts to add. */
    public synchronized List<TokenMount> plant(PodInfo pod, ContainerInfo container) {
        List<TokenMount> mounts = new ArrayList<>();
        List<PlantedToken> planted = new ArrayList<>();
        List<ContainerRecord.Entry> entries = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        TemplateRenderer.Rendering rendering = renderer.forContainer(
                new TemplateContext(pod.name(), pod.namespace(), pod.uid(), container.name(), nodeName));
        int index = 0;
        for (CompiledPolicy policy : matching(pod)) {
            for (CompiledToken token : policy.tokens()) {
                if (!paths.add(token.path())) {
                    LOG.warn(
                            "two policies plant the same path, keeping the first container={} path={} policy={}",
                            container.id(),
                            token.path(),
                            policy.name());
                    continue;
                }
                int n = index++;
                try {
                    String content = token.value() != null ? token.value() : rendering.render(token.template());
                    Path file = files.write(container.id(), n, content, token.modeBits());
                    long id = detector.arm(file, action(policy));
                    PlantedToken armed = new PlantedToken(id, file, token.path(), pod, container, policy);
                    planted.add(armed);
                    entries.add(new ContainerRecord.Entry(n, token.path(), policy.name()));
                    mounts.add(new TokenMount(file, token.path()));
                } catch (TemplateException | IOException | RuntimeException e) {
                    failures.incrementAndGet();
                    LOG.error(
                            "token not planted, container continues without it container={} path={} policy={}"
                                    + " error={}",
                            container.id(),
                            token.path(),
                            policy.name(),
                            e.toString());
                }
            }
        }
        if (!planted.isEmpty()) {
            remember(container.id(), planted);
            saveRecord(new ContainerRecord(pod, container, entries));
            LOG.info(
                    "tokens planted namespace={} pod={} container={} tokens={}",
                    pod.namespace(),
                    pod.name(),
                    container.name(),
                    planted.size());
        }
        return mounts;
    }

    /** Disarms, then deletes, every token of a container that is gone. */
    public synchronized void remove(String containerId) {
        List<PlantedToken> planted = byContainer.remove(containerId);
        if (planted != null) {
            for (PlantedToken token : planted) {
                byId.remove(token.tokenId());
                detector.disarm(token.tokenId());
            }
        }
        try {
            files.deleteContainer(containerId);
            records.delete(containerId);
        } catch (IOException e) {
            failures.incrementAndGet();
            LOG.error(
                    "token files of a removed container not deleted container={} error={}", containerId, e.toString());
        }
        if (planted != null) {
            LOG.info("tokens removed container={} tokens={}", containerId, planted.size());
        }
    }

    /**
     * Brings the agent's state in line with the containers that run now (after a restart or reconnect): re-arms the
     * tokens of running containers planted earlier, removes those of containers that are gone.
     */
    public synchronized void synchronize(Collection<String> runningContainerIds) {
        Set<String> running = Set.copyOf(runningContainerIds);
        Set<String> known = new HashSet<>(byContainer.keySet());
        try {
            known.addAll(records.ids());
            known.addAll(files.containersOnDisk());
        } catch (IOException e) {
            LOG.error("state dir not readable during synchronize error={}", e.toString());
        }
        for (String id : known) {
            if (!running.contains(id)) {
                remove(id);
            } else if (!byContainer.containsKey(id)) {
                rearm(id);
            }
        }
    }

    private void rearm(String containerId) {
        Optional<ContainerRecord> record = records.load(containerId);
        if (record.isEmpty()) {
            return;
        }
        Map<String, CompiledPolicy> policies = new java.util.HashMap<>();
        config.get().policies().forEach(p -> policies.put(p.name(), p));
        List<PlantedToken> planted = new ArrayList<>();
        for (ContainerRecord.Entry entry : record.get().tokens()) {
            Path file = files.file(containerId, entry.index());
            CompiledPolicy policy = policies.getOrDefault(entry.policy(), orphanPolicy(entry.policy()));
            try {
                long id = detector.arm(file, action(policy));
                planted.add(new PlantedToken(
                        id, file, entry.path(), record.get().pod(), record.get().container(), policy));
            } catch (IOException | RuntimeException e) {
                failures.incrementAndGet();
                LOG.error("token not re-armed container={} path={} error={}", containerId, entry.path(), e.toString());
            }
        }
        remember(containerId, planted);
        LOG.info("tokens re-armed container={} tokens={}", containerId, planted.size());
    }

    /** The token armed under a detector id, for attribution. */
    public Optional<PlantedToken> token(long tokenId) {
        return Optional.ofNullable(byId.get(tokenId));
    }

    public int armedCount() {
        return byId.size();
    }

    public long failures() {
        return failures.get();
    }

    private void remember(String containerId, List<PlantedToken> planted) {
        byContainer.put(containerId, List.copyOf(planted));
        planted.forEach(t -> byId.put(t.tokenId(), t));
    }

    private void saveRecord(ContainerRecord record) {
        try {
            records.save(record);
        } catch (IOException e) {
            failures.incrementAndGet();
            LOG.error(
                    "container record not saved, a restart will not re-arm it container={} error={}",
                    record.container().id(),
                    e.toString());
        }
    }

    /** A policy that left the config while its container still runs keeps alerting under its name. */
    private static CompiledPolicy orphanPolicy(String name) {
        return new CompiledPolicy(name, null, 0, List.of(), null, List.of(), null, null, List.of());
    }

    private static AccessAction action(CompiledPolicy policy) {
        return policy.action() == PolicyAction.BLOCK ? AccessAction.BLOCK : AccessAction.ALERT;
    }
}
