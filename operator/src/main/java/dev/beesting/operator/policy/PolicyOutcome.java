package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.CompiledPolicy;

/** What compilation decided for one policy: in the node config, or left out with a reason the user can act on. */
public sealed interface PolicyOutcome {

    /** How many namespaces the policy is planted in. */
    int matchedNamespaces();

    /** The policy is in the node config as {@code policy}. */
    record Compiled(CompiledPolicy policy) implements PolicyOutcome {
        @Override
        public int matchedNamespaces() {
            return policy.namespaces().size();
        }
    }

    /**
     * The policy is left out of the node config.
     *
     * @param reason CamelCase reason of the Accepted=False condition, one of {@link PolicyConditions}
     * @param message names the field or limit at fault
     */
    record Rejected(String reason, String message) implements PolicyOutcome {
        @Override
        public int matchedNamespaces() {
            return 0;
        }
    }
}
