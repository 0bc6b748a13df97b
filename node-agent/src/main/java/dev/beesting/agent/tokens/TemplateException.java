package dev.beesting.agent.tokens;

/** A token template that cannot be rendered; fails that token only, never the container. */
public final class TemplateException extends Exception {
    public TemplateException(String message) {
        super(message);
    }
}
