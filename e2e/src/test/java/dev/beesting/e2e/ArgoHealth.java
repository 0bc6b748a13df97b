package dev.beesting.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs the Argo CD health scripts of {@code config/argocd/argocd-cm-patch.yaml} the way Argo CD does: the object turned
 * into a Lua table as global {@code obj}, the script's returned table read for {@code status} and {@code message}.
 */
final class ArgoHealth {
    private static final Path PATCH = Path.of("../config/argocd/argocd-cm-patch.yaml");
    private static final String KEY = "resource.customizations.health.beesting.dev_";

    record Status(String status, String message) {}

    private ArgoHealth() {}

    static Status of(HasMetadata object) {
        return of(object.getKind(), Serialization.jsonMapper().valueToTree(object));
    }

    static Status of(String kind, JsonNode object) {
        Globals lua = JsePlatform.standardGlobals();
        lua.set("obj", toLua(object));
        LuaValue result = lua.load(script(kind), kind).call();
        return new Status(
                result.get("status").tojstring(), result.get("message").tojstring());
    }

    static String script(String kind) {
        try {
            JsonNode patch = new YAMLMapper().readTree(PATCH.toFile());
            JsonNode script = patch.at("/data").get(KEY + kind);
            if (script == null) {
                throw new IllegalArgumentException("no health script for " + kind + " in " + PATCH);
            }
            return script.asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LuaValue toLua(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return LuaValue.NIL;
        }
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                table.set(field.getKey(), toLua(field.getValue()));
            }
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, toLua(node.get(i)));
            }
            return table;
        }
        if (node.isIntegralNumber()) {
            return LuaValue.valueOf(node.asLong());
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return LuaValue.valueOf(node.asText());
    }
}
