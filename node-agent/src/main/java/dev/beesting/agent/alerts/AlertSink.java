package dev.beesting.agent.alerts;

/** A destination for alerts (stdout, metrics, webhook, Kubernetes). Must not block and must not throw. */
public interface AlertSink extends AutoCloseable {
    void publish(Alert alert);

    @Override
    default void close() {}
}
