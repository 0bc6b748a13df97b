package dev.beesting.agent.tokens;

/** The container facts token planting and alerts need. */
public record ContainerInfo(String id, String name, String image) {}
