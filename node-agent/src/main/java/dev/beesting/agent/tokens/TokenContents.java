package dev.beesting.agent.tokens;

import dev.beesting.agent.model.Workload;
import dev.beesting.agent.tokens.PolicyMatcher.WantedToken;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import java.util.Locale;

/** What a token file holds in one container: the literal value, or its template rendered with the container's facts. */
final class TokenContents {
    private final TemplateRenderer renderer;

    TokenContents(TemplateRenderer renderer) {
        this.renderer = renderer;
    }

    /** One rendering per container, so the credentials named in its templates agree with each other. */
    TemplateRenderer.Rendering forContainer(Workload workload) {
        return renderer.forContainer(workload);
    }

    static String content(TemplateRenderer.Rendering rendering, WantedToken wanted) throws TemplateException {
        CompiledToken token = wanted.token();
        if (token.value() != null) {
            return token.value();
        }
        CompiledPolicy policy = wanted.policy();
        // the severity as the policy writes it (high), what the decoy puts back into a Use alert
        String severity = policy.severity().name().toLowerCase(Locale.ROOT);
        return rendering.render(
                token.template(),
                new TemplateRenderer.Target(token.path(), policy.name(), severity, token.decoyServer()));
    }
}
