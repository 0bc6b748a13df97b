package dev.beesting.agent.tokens;

import dev.beesting.agent.model.Workload;
import dev.beesting.api.nodeconfig.DecoySettings;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders token templates: {@code {{name}}} or {@code {{name N}}} placeholders are replaced by fake credentials or
 * by facts about the container. Within one {@link Rendering} a named credential keeps its value, so the access key
 * id in {@code ~/.aws/credentials} and in another token file of the same container agree. {@code {{serviceAccountToken}}}
 * and {@code {{kubeconfig}}} are decoy credentials: they need the node config's decoy settings and name the token
 * file they are rendered for, so each file gets its own.
 */
public final class TemplateRenderer {
    /** The placeholders a template may use, for error messages and documentation. */
    public static final String KNOWN =
            "awsAccessKeyId, awsSecretAccessKey, githubToken, jwt, serviceAccountToken, kubeconfig,"
                    + " uuid,"
                    + " hex N, alnum N, pod.name, pod.namespace, pod.uid, container.name, node.name";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z.]+)(?:\\s+(\\d+))?\\s*}}");
    private static final int MAX_RANDOM_LENGTH = 4096;

    private final BaitGenerators generators;
    private final DecoyCredentials decoys;
    private final Supplier<Optional<DecoySettings>> decoySettings;

    /** A renderer without decoy settings (standalone): decoy placeholders are errors. */
    public TemplateRenderer() {
        this(Optional::empty);
    }

    /** A renderer that mints decoy credentials with the settings {@code decoySettings} holds at the time. */
    public TemplateRenderer(Supplier<Optional<DecoySettings>> decoySettings) {
        this(new SecureRandom(), Clock.systemUTC(), decoySettings);
    }

    TemplateRenderer(SecureRandom random, Clock clock, Supplier<Optional<DecoySettings>> decoySettings) {
        this.generators = new BaitGenerators(random);
        this.decoys = new DecoyCredentials(random, clock);
        this.decoySettings = decoySettings;
    }

    /**
     * The token file a template is rendered for, as its decoy credentials name it.
     *
     * @param path the file's path in the container
     * @param policy the policy that plants it
     * @param severity that policy's severity, as the policy writes it ({@code high})
     * @param decoyServer the decoy the policy names for it, or null for the in-cluster one
     */
    public record Target(String path, String policy, String severity, String decoyServer) {
        static final Target NONE = new Target("", "", "", null);
    }

    /** Starts rendering the tokens of one container. */
    public Rendering forContainer(Workload workload) {
        return new Rendering(workload);
    }

    /** Renders the templates of one container, remembering its generated credentials. */
    public final class Rendering {
        private final Workload workload;
        private final Map<String, String> generated = new HashMap<>();

        private Rendering(Workload workload) {
            this.workload = workload;
        }

        /** Renders a template that is not a token file's (decoy credentials then name no path or policy). */
        public String render(String template) throws TemplateException {
            return render(template, Target.NONE);
        }

        /** Renders the template of one token file; its decoy credentials name {@code target}. */
        public String render(String template, Target target) throws TemplateException {
            Matcher matcher = PLACEHOLDER.matcher(template);
            StringBuilder out = new StringBuilder(template.length() + 64);
            int last = 0;
            while (matcher.find()) {
                out.append(template, last, matcher.start());
                out.append(value(matcher.group(1), matcher.group(2), matcher.start(), target));
                last = matcher.end();
            }
            out.append(template, last, template.length());
            int stray = out.indexOf("{{");
            if (stray >= 0) {
                throw new TemplateException("malformed placeholder near '" + excerpt(out, stray)
                        + "' (expected {{name}} or {{name N}}; known: " + KNOWN + ")");
            }
            return out.toString();
        }

        private String value(String name, String argument, int offset, Target target) throws TemplateException {
            if (argument != null) {
                int length = Integer.parseInt(argument);
                if (length < 1 || length > MAX_RANDOM_LENGTH) {
                    throw new TemplateException(
                            "{{" + name + " " + argument + "}}: length must be between 1 and " + MAX_RANDOM_LENGTH);
                }
                return switch (name) {
                    case "hex" -> generators.hex(length);
                    case "alnum" -> generators.alnum(length);
                    default -> throw unknown(name + " " + argument, offset);
                };
            }
            return switch (name) {
                case "pod.name" -> workload.pod();
                case "pod.namespace" -> workload.namespace();
                case "pod.uid" -> workload.podUid();
                case "container.name" -> workload.container();
                case "node.name" -> workload.node();
                case "awsAccessKeyId" -> remembered(name, generators::awsAccessKeyId);
                case "awsSecretAccessKey" -> remembered(name, generators::awsSecretAccessKey);
                case "githubToken" -> remembered(name, generators::githubToken);
                case "jwt" -> remembered(name, () -> generators.serviceAccountJwt(workload));
                case "serviceAccountToken" -> decoyToken(target);
                case "kubeconfig" -> {
                    DecoySettings settings = decoySettings(name);
                    String token = decoyToken(target);
                    yield remembered(
                            name + "\u0000" + target.path(),
                            () -> decoys.kubeconfig(settings, target.decoyServer(), token, workload));
                }
                case "uuid" -> remembered(name, generators::uuid);
                case "hex", "alnum" ->
                    throw new TemplateException("{{" + name + "}} needs a length, e.g. {{" + name + " 32}}");
                default -> throw unknown(name, offset);
            };
        }

        /** One decoy token per token file: the path is part of the origin it names. */
        private String decoyToken(Target target) throws TemplateException {
            DecoySettings settings = decoySettings("serviceAccountToken");
            return remembered(
                    "serviceAccountToken\u0000" + target.path(), () -> decoys.token(settings, workload, target));
        }

        private DecoySettings decoySettings(String name) throws TemplateException {
            Optional<DecoySettings> settings = decoySettings.get().filter(s -> s.key() != null && s.server() != null);
            if (settings.isEmpty()) {
                throw new TemplateException("{{" + name + "}} needs the decoy settings of the node config, which has"
                        + " none (the operator writes them once its decoy key Secret exists; standalone agents have"
                        + " no decoy)");
            }
            return settings.get();
        }

        private String remembered(String name, java.util.function.Supplier<String> generator) {
            // not computeIfAbsent: a kubeconfig's generator asks for the jwt, a nested update of the same map
            String value = generated.get(name);
            if (value == null) {
                value = generator.get();
                generated.put(name, value);
            }
            return value;
        }

        private TemplateException unknown(String name, int offset) {
            return new TemplateException(
                    "unknown placeholder {{" + name + "}} at offset " + offset + " (known: " + KNOWN + ")");
        }
    }

    private static String excerpt(CharSequence text, int at) {
        return text.subSequence(at, Math.min(text.length(), at + 24)).toString();
    }
}
