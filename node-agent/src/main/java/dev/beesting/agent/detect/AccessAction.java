package dev.beesting.agent.detect;

/** What the detector does when an armed file is opened. */
public enum AccessAction {
    /** Report the open and let it succeed. */
    ALERT,
    /** Report the open and deny it where the tier can. */
    BLOCK
}
