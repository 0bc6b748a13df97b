package dev.beesting.agent.standalone;

/** The standalone config is invalid; the message starts with the offending field, e.g. {@code tokens[0].path}. */
public final class ConfigException extends Exception {
    public ConfigException(String field, String problem) {
        super(field + ": " + problem);
    }
}
