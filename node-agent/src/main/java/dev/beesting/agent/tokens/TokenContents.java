package dev.beesting.agent.tokens;

import dev.beesting.api.nodeconfig.CompiledToken;

/** What a token file holds in one container: the literal value, or its template rendered with the container's facts. */
final class TokenContents {
    private final TemplateRenderer renderer;
    private final String nodeName;

    TokenContents(TemplateRenderer renderer, String nodeName) {
        this.renderer = renderer;
        this.nodeName = nodeName;
    }

    /** One rendering per container, so the credentials named in its templates agree with each other. */
    TemplateRenderer.Rendering forContainer(PodInfo pod, ContainerInfo container) {
        return renderer.forContainer(
                new TemplateContext(pod.name(), pod.namespace(), pod.uid(), container.name(), nodeName));
    }

    static String content(TemplateRenderer.Rendering rendering, CompiledToken token) throws TemplateException {
        return token.value() != null ? token.value() : rendering.render(token.template());
    }
}
