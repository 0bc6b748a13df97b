package dev.beesting.agent.nri.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.nri.ttrpc.TtrpcStatusException;
import dev.beesting.proto.nri.CreateContainerRequest;
import dev.beesting.proto.nri.CreateContainerResponse;
import dev.beesting.proto.nri.Empty;
import dev.beesting.proto.nri.Event;
import dev.beesting.proto.nri.PodSandbox;
import dev.beesting.proto.nri.StateChangeEvent;
import dev.beesting.proto.nri.StopContainerRequest;
import dev.beesting.proto.nri.StopContainerResponse;
import dev.beesting.proto.nri.SynchronizeRequest;
import dev.beesting.proto.nri.SynchronizeResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The plugin stub against an in-process runtime over a real unix socket. */
class NriPluginProtocolIT {
    private static final PodSandbox POD = PodSandbox.newBuilder()
            .setId("pod-1")
            .setName("web")
            .setNamespace("shop")
            .setUid("uid-1")
            .putLabels("app", "web")
            .build();

    private final RecordingHandler handler = new RecordingHandler();
    private Path dir;
    private Path socket;
    private FakeRuntime runtime;
    private NriPlugin plugin;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("nri-test");
        socket = dir.resolve("nri.sock");
        runtime = new FakeRuntime(socket);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (plugin != null) {
            plugin.close();
        }
        runtime.close();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }

    @Test
    void registersWithItsNameAndIndexAndSubscribesToTheEventsItAsksFor() throws Exception {
        startPlugin(Duration.ofMillis(500));
        FakeRuntime.PluginConnection connection = runtime.awaitPlugin();

        assertThat(connection.registered().get().getPluginName()).isEqualTo("beesting-test");
        assertThat(connection.registered().get().getPluginIdx()).isEqualTo("42");
        assertThat(connection.configure().getEvents()).isEqualTo(1 << 3 | 1 << 9);
        assertThat(handler.configured).singleElement().satisfies(info -> {
            assertThat(info.name()).isEqualTo("fake");
            assertThat(info.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        });
        await().until(plugin::isConnected);
    }

    @Test
    void configureArrivingBeforeTheRegistrationReplyIsServed() throws Exception {
        runtime.configuringBeforeRegisterReply();
        startPlugin(Duration.ofMillis(500));

        FakeRuntime.PluginConnection connection = runtime.awaitPlugin();

        assertThat(connection.configuredBeforeRegisterReply().get().getEvents()).isNotZero();
        await().until(plugin::isConnected);
    }

    @Test
    void splitSynchronizeReachesTheHandlerOnceWithEveryPodAndContainer() throws Exception {
        startPlugin(Duration.ofMillis(500));
        FakeRuntime.PluginConnection connection = runtime.awaitPlugin();
        connection.configure();

        SynchronizeResponse first = connection.call(
                "Synchronize",
                SynchronizeRequest.newBuilder()
                        .addPods(POD)
                        .addContainers(container("c-1"))
                        .setMore(true)
                        .build(),
                SynchronizeResponse.parser());
        SynchronizeResponse last = connection.call(
                "Synchronize",
                SynchronizeRequest.newBuilder().addContainers(container("c-2")).build(),
                SynchronizeResponse.parser());

        assertThat(first.getMore()).isTrue();
        assertThat(first.getUpdateCount()).isZero();
        assertThat(last.getMore()).isFalse();
        assertThat(handler.synced).singleElement().satisfies(sync -> {
            assertThat(sync.pods()).extracting(Pod::namespace).containsExactly("shop");
            assertThat(sync.containers()).extracting(Container::id).containsExactly("c-1", "c-2");
        });
    }

    @Test
    void createContainerIsAnsweredWithTheHandlersMounts() throws Exception {
        handler.onCreate = (pod, c) ->
                ContainerAdjustment.mounts(List.of(Mount.readOnlyBind("/host/token-" + c.id(), "/etc/token")));
        startPlugin(Duration.ofMillis(500));
        FakeRuntime.PluginConnection connection = runtime.awaitPlugin();

        CreateContainerResponse response = create(connection, "c-1");

        assertThat(response.getAdjust().getMountsList()).singleElement().satisfies(m -> {
            assertThat(m.getSource()).isEqualTo("/host/token-c-1");
            assertThat(m.getDestination()).isEqualTo("/etc/token");
            assertThat(m.getType()).isEqualTo("bind");
            assertThat(m.getOptionsList()).contains("ro", "nosuid", "nodev", "noexec");
        });
        assertThat(handler.created).extracting(Container::name).containsExactly("app");
    }

    @Test
    void handlerExceptionIsAnsweredWithNoAdjustment() throws Exception {
        handler.onCreate = (pod, c) -> {
            throw new IllegalStateException("disk full");
        };
        startPlugin(Duration.ofMillis(500));
        FakeRuntime.PluginConnection connection = runtime.awaitPlugin();

        CreateContainerResponse response = create(connection, "c-1");

        assertThat(response.hasAdjust()).isFalse();
        assertThat(plugin.stats().handlerFailures()).isEqualTo(1);
    }

    @Test
    void hungHandlerIsAnsweredWithNoAdjustmentWithinItsBudget() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        handler.onCreate = (pod, c) -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ContainerAdjustment.mounts(List.of(Mount.readOnlyBind("/late", "/late")));
        };
        startPlugin(Duration.ofMillis(200));
        FakeRuntime.PluginConnection connection = runtime.awaitPlugin();

        long start = System.nanoTime();
        CreateContainerResponse response = create(connection, "c-1");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.hasAdjust()).isFalse();
        assertThat(took).isLessThan(Duration.ofSeconds(1));
        assertThat(plugin.stats().handlerTimeouts()).isEqualTo(1);
    }

    @Test
    void unknownMethodIsAnsweredUnimplementedAndTheConnectionStays() throws Exception {
        startPlugin(Duration.ofMillis(500));
        FakeRuntime.PluginConnection connection = runtime.awaitPlugin();

        assertThatThrownBy(() ->
                        connection.call("ValidateContainerAdjustment", Empty.getDefaultInstance(), Empty.parser()))
                .isInstanceOfSatisfying(
                        TtrpcStatusException.class,
                        e -> assertThat(e.code()).isEqualTo(TtrpcStatusException.UNIMPLEMENTED));
        assertThat(create(connection, "c-1").hasAdjust()).isFalse();
    }

    @Test
    void stopAndRemoveReachTheHandlerAsStateChanges() throws Exception {
        startPlugin(Duration.ofMillis(500));
        FakeRuntime.PluginConnection connection = runtime.awaitPlugin();

        connection.call(
                "StopContainer",
                StopContainerRequest.newBuilder()
                        .setPod(POD)
                        .setContainer(container("c-1"))
                        .build(),
                StopContainerResponse.parser());
        connection.call(
                "StateChange",
                StateChangeEvent.newBuilder()
                        .setEvent(Event.REMOVE_CONTAINER)
                        .setPod(POD)
                        .setContainer(container("c-1"))
                        .build(),
                Empty.parser());

        assertThat(handler.changes)
                .extracting(StateChange::event)
                .containsExactly(NriEvent.STOP_CONTAINER, NriEvent.REMOVE_CONTAINER);
        assertThat(handler.changes.get(1))
                .isInstanceOfSatisfying(
                        StateChange.ContainerChange.class,
                        change -> assertThat(change.container().id()).isEqualTo("c-1"));
    }

    @Test
    void oversizedFrameClosesTheConnectionAndThePluginReconnects() throws Exception {
        startPlugin(Duration.ofMillis(500));
        FakeRuntime.PluginConnection first = runtime.awaitPlugin();
        // the first registration completes before the garbage arrives; under load the garbage could otherwise
        // close the connection before the plugin has read the RegisterPlugin reply
        await().until(() -> plugin.stats().registrations() == 1);

        // a mux chunk on connection 1 whose ttrpc header announces 64 MiB
        first.writeRaw(ByteBuffer.allocate(18)
                .putInt(1)
                .putInt(10)
                .putInt(64 << 20)
                .putInt(1)
                .put((byte) 1)
                .put((byte) 0)
                .flip());

        FakeRuntime.PluginConnection second = runtime.awaitPlugin();
        assertThat(create(second, "c-2").hasAdjust()).isFalse();
        // the runtime sees the registration before the plugin has read the reply
        await().until(() -> plugin.stats().registrations() == 2);
    }

    @Test
    void pluginReconnectsAfterTheRuntimeRestartsAndIsSynchronizedAgain() throws Exception {
        startPlugin(Duration.ofMillis(500));
        runtime.awaitPlugin().configure();
        runtime.close();
        await().until(() -> !plugin.isConnected());

        runtime = new FakeRuntime(socket);
        FakeRuntime.PluginConnection again = runtime.awaitPlugin();
        again.configure();
        again.call(
                "Synchronize",
                SynchronizeRequest.newBuilder()
                        .addPods(POD)
                        .addContainers(container("c-1"))
                        .build(),
                SynchronizeResponse.parser());

        assertThat(handler.configured).hasSize(2);
        assertThat(handler.synced)
                .singleElement()
                .satisfies(sync ->
                        assertThat(sync.containers()).extracting(Container::id).containsExactly("c-1"));
        assertThat(plugin.stats().disconnects()).isEqualTo(1);
    }

    private void startPlugin(Duration budget) {
        handler.events = EnumSet.of(NriEvent.CREATE_CONTAINER, NriEvent.STOP_CONTAINER);
        plugin = new NriPlugin(
                        NriPluginConfig.of("beesting-test", "42")
                                .withSocket(socket)
                                .withHandlerBudget(budget)
                                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200)),
                        handler)
                .start();
    }

    private static CreateContainerResponse create(FakeRuntime.PluginConnection connection, String id) throws Exception {
        return connection.call(
                "CreateContainer",
                CreateContainerRequest.newBuilder()
                        .setPod(POD)
                        .setContainer(container(id))
                        .build(),
                CreateContainerResponse.parser());
    }

    private static dev.beesting.proto.nri.Container container(String id) {
        return dev.beesting.proto.nri.Container.newBuilder()
                .setId(id)
                .setPodSandboxId("pod-1")
                .setName("app")
                .build();
    }
}
