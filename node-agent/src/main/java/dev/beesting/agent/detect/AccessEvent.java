package dev.beesting.agent.detect;

import dev.beesting.agent.model.Opener;
import java.time.Instant;

/**
 * One observed open of an armed file, as the kernel reported it.
 *
 * @param tokenId the id {@link Detector#arm} returned for the file
 * @param time when the agent received the event
 * @param opener the process that opened it; exe and command line read from /proc as early as the tier allows
 * @param tier the tier that saw the open
 * @param denied whether the open was denied
 * @param count total opens of this token seen by the kernel so far, exact even when events were rate limited
 */
public record AccessEvent(long tokenId, Instant time, Opener opener, Tier tier, boolean denied, long count) {}
