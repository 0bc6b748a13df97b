package dev.beesting.agent.tokens;

import java.nio.file.Path;

/** A read-only bind mount of a host token file at a path inside the container. */
public record TokenMount(Path source, String destination) {}
