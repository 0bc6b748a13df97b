package dev.beesting.webhook;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The webhook flags, the same for the agent (node and standalone mode) and the decoy. */
public final class WebhookOptions {
    @Option(names = "--webhook", paramLabel = "URL", description = "also POST every alert to this URL (https)")
    URI url;

    @Option(
            names = "--webhook-allow-http",
            description = "accept a plain http --webhook URL (alerts and any token in the URL travel in clear)")
    boolean allowHttp;

    @Option(
            names = "--webhook-format",
            paramLabel = "FORMAT",
            defaultValue = "beesting",
            description = "the body: beesting (the JSON line's object) or falcosidekick (a Falco event, for"
                    + " Falcosidekick and its outputs)")
    String format;

    @Option(
            names = "--webhook-headers-file",
            paramLabel = "FILE",
            description = "extra request headers, one 'Name: value' per line (for example a mounted Secret holding"
                    + " 'Authorization: Bearer ...')")
    Path headersFile;

    @Option(
            names = "--webhook-header-env",
            paramLabel = "NAME=VARIABLE",
            description = "an extra request header whose value is this environment variable; repeatable")
    List<String> headerEnv = new ArrayList<>();

    /**
     * The webhook these flags describe; empty without {@code --webhook}.
     *
     * @throws IllegalArgumentException naming the flag at fault
     */
    public Optional<WebhookSender.Settings> settings() {
        if (url == null) {
            return Optional.empty();
        }
        WebhookFormat bodyFormat;
        try {
            bodyFormat = WebhookFormat.fromId(format);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--webhook-format: " + e.getMessage(), e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (headersFile != null) {
            try {
                headers.putAll(WebhookHeaders.fromFile(headersFile));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("--webhook-headers-file: " + e.getMessage(), e);
            }
        }
        for (String spec : headerEnv) {
            try {
                Map.Entry<String, String> header = WebhookHeaders.fromEnvironment(spec, System.getenv());
                headers.put(header.getKey(), header.getValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--webhook-header-env: " + e.getMessage(), e);
            }
        }
        try {
            return Optional.of(WebhookSender.Settings.defaults(url, allowHttp)
                    .withFormat(bodyFormat)
                    .withHeaders(headers));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--webhook: " + e.getMessage(), e);
        }
    }
}
