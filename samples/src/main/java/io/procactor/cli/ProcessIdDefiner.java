package io.procactor.cli;

import ch.qos.logback.core.PropertyDefinerBase;

/**
 * Defines a Logback property holding this JVM's pid, for log patterns:
 * {@code <define name="PID" class="io.procactor.cli.ProcessIdDefiner"/>} then {@code ${PID}}.
 */
public final class ProcessIdDefiner extends PropertyDefinerBase {
    @Override
    public String getPropertyValue() {
        return Long.toString(ProcessHandle.current().pid());
    }
}
