package dev.beesting.agent.tokens;

import dev.beesting.agent.tokens.ContainerRecord.Entry;
import dev.beesting.agent.tokens.TokenPlanter.Wanted;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

    private final TokenPlanter planter;
    /** (container, path) pairs where planting failed: retried only after an agent restart, so counted once. */
    private final Set<String> gaveUp = ConcurrentHashMap.newKeySet();

    LiveReconcile(TokenPlanter planter) {
        this.planter = planter;
    }

    int reconcile(RunningContainer container) {
        Map<String, Wanted> wanted = planter.wanted(container.pod());
        List<Entry> entries = new ArrayList<>(planter.record(container).tokens());
        List<PlantedToken> armed = new ArrayList<>(planter.armed(container.id()));
        int changes = 0;
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry entry = entries.get(i);
            Wanted want = wanted.get(entry.path());
            if (entry.emptied() || (want != null && want.policy().name().equals(entry.policy()))) {
                continue;
            }
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
        TemplateRenderer.Rendering rendering = planter.renderer.forContainer(
                TokenPlanter.context(container.pod(), container.container(), planter.nodeName));
        int next = entries.stream().mapToInt(Entry::index).max().orElse(-1) + 1;
        for (Wanted want : wanted.values()) {
            String path = want.token().path();
            int at = indexOf(entries, path);
            if ((at >= 0 && !entries.get(at).emptied()) || gaveUp.contains(key(container, path))) {
                continue;
            }
            try {
                String content = TokenPlanter.content(rendering, want.token());
                if (at >= 0) {
                    armed.add(refill(container, entries.get(at), want, content));
                    entries.set(
                            at, entries.get(at).withEmptied(false, want.policy().name()));
                } else {
                    Planted live = plantLive(container, want, content);
                    armed.add(live.token());
                    entries.add(Entry.live(next++, path, want.policy().name(), live.ino()));
                }
                changes++;
            } catch (TemplateException | IOException | RuntimeException e) {
                gaveUp.add(key(container, path));
                planter.failed("token not planted into running container", container.id(), path, e);
            }
        }
        if (changes > 0) {
            planter.replace(container, armed, entries);
            LOG.info(
                    "tokens reconciled namespace={} pod={} container={} changes={} armed={}",
                    container.pod().namespace(),
                    container.pod().name(),
                    container.container().name(),
                    changes,
                    armed.size());
        }
        return changes;
    }

    /** Arms a live token planted before the agent restarted, if the container still holds that very file. */
    PlantedToken rearm(RunningContainer container, Entry entry, PodInfo pod, ContainerInfo info, CompiledPolicy policy)
            throws IOException {
        try (ContainerRoot root = ContainerRoot.ofProcess(container.pid(), container.id());
                LiveFile file = root.open(entry.path(), entry.ino())) {
            long id = planter.detector.arm(file.reopenPath(), TokenPlanter.action(policy));
            return new PlantedToken(id, hostView(container, entry.path()), entry.path(), pod, info, policy);
        }
    }

    void forget(String containerId) {
        gaveUp.removeIf(k -> k.startsWith(containerId + "\0"));
    }

    private record Planted(PlantedToken token, long ino) {}

    private Planted plantLive(RunningContainer container, Wanted want, String content) throws IOException {
        CompiledToken token = want.token();
        try (ContainerRoot root = ContainerRoot.ofProcess(container.pid(), container.id());
                LiveFile file = root.create(token.path(), content, token.modeBits())) {
            long id;
            try {
                id = planter.detector.arm(file.reopenPath(), TokenPlanter.action(want.policy()));
            } catch (IOException | RuntimeException e) {
                root.delete(token.path(), file.ino());
                throw e;
            }
            return new Planted(
                    new PlantedToken(
                            id,
                            hostView(container, token.path()),
                            token.path(),
                            container.pod(),
                            container.container(),
                            want.policy()),
                    file.ino());
        }
    }

    private PlantedToken refill(RunningContainer container, Entry entry, Wanted want, String content)
            throws IOException {
        Path file = planter.files.file(container.id(), entry.index());
        planter.files.refill(file, content, want.token().modeBits());
        long id = planter.detector.arm(file, TokenPlanter.action(want.policy()));
        return new PlantedToken(id, file, entry.path(), container.pod(), container.container(), want.policy());
    }

    private void empty(RunningContainer container, Entry entry) {
        try {
            planter.files.truncate(planter.files.file(container.id(), entry.index()));
            LOG.info(
                    "mounted token emptied, the mount goes when the container restarts container={} path={}",
                    container.id(),
                    entry.path());
        } catch (IOException | RuntimeException e) {
            planter.failed("mounted token not emptied", container.id(), entry.path(), e);
        }
    }

    private void delete(RunningContainer container, Entry entry) {
        try (ContainerRoot root = ContainerRoot.ofProcess(container.pid(), container.id())) {
            boolean deleted = root.delete(entry.path(), entry.ino());
            LOG.info("live token deleted container={} path={} found={}", container.id(), entry.path(), deleted);
        } catch (IOException | RuntimeException e) {
            planter.failed("live token not deleted", container.id(), entry.path(), e);
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

    /** Where the host sees the file while the container runs; for logs and alerts only, never opened by path. */
    private static Path hostView(RunningContainer container, String path) {
        return Path.of("/proc", Integer.toString(container.pid()), "root", path.substring(1));
    }
}
