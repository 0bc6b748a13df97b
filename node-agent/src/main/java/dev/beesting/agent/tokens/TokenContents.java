package dev.beesting.agent.tokens;

import dev.beesting.agent.model.Workload;
import dev.beesting.api.nodeconfig.CompiledToken;

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

    static String content(TemplateRenderer.Rendering rendering, CompiledToken token) throws TemplateException {
        return token.value() != null
                ? token.value()
                : rendering.render(token.template(), token.path(), token.decoyServer());
    }
}
