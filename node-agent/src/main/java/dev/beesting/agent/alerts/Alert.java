package dev.beesting.agent.alerts;

import dev.beesting.agent.detect.AccessEvent;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.Origin;
import dev.beesting.agent.model.TokenRef;
import java.time.Instant;

/**
 * One access to a token, attributed: what was opened, by whom, seen by which tier.
 *
 * @param time when the agent received the event
 * @param token the token
 * @param opener the process that opened it
 * @param tier detector tier
 * @param count opens of this token so far, exact
 * @param denied whether the open was denied
 */
public record Alert(Instant time, TokenRef token, Opener opener, String tier, long count, boolean denied) {

    /** The alert for an access to a token, the opener's origin not decided. */
    public static Alert of(AccessEvent event, TokenRef token) {
        return new Alert(event.time(), token, event.opener(), event.tier().id(), event.count(), event.denied());
    }

    /** The alert for an access to a token, with the opener's origin. */
    public static Alert of(AccessEvent event, TokenRef token, Origin origin) {
        Opener opener = event.opener().withLineage(event.opener().lineage().withOrigin(origin));
        return new Alert(event.time(), token, opener, event.tier().id(), event.count(), event.denied());
    }
}
