package org.icgw.gateway.sip.transport;

import gov.nist.core.LogLevels;
import gov.nist.core.StackLogger;
import java.util.Properties;
import org.icgw.gateway.security.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's logger (stack property {@code gov.nist.javax.sip.STACK_LOGGER}, one for the whole
 * process): the stack writes whole messages into its error lines, which a flood turns into
 * megabytes of log (issue 10). Everything it says goes to DEBUG on {@value #LOGGER}, sanitised and
 * cut; an error or exception adds one fixed WARN line, at most {@link #WARN_PER_SECOND} a second.
 */
public final class SipStackLog implements StackLogger {

    /** The logger of everything JAIN-SIP says. */
    public static final String LOGGER = "gov.nist.javax.sip";
    /** WARN lines per second announcing stack errors. */
    static final int WARN_PER_SECOND = 1;
    /** Characters of a stack message kept at DEBUG. */
    static final int MAX_LINE = 500;

    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final RateLimitedLog warnings = new RateLimitedLog(log, WARN_PER_SECOND, System::nanoTime);

    public SipStackLog() {
        // instantiated by the stack
    }

    private static void debug(String message) {
        if (log.isDebugEnabled()) {
            log.debug(RateLimitedLog.sanitize(message, MAX_LINE));
        }
    }

    private static void error(String message) {
        debug(message);
        warnings.warn("stack-error", () -> "the SIP stack reported an error (details at DEBUG on " + LOGGER + ")");
    }

    @Override
    public boolean isLoggingEnabled() {
        return true;
    }

    @Override
    public boolean isLoggingEnabled(int level) {
        return level <= LogLevels.TRACE_ERROR || log.isDebugEnabled();
    }

    @Override
    public void logDebug(String message) {
        debug(message);
    }

    @Override
    public void logDebug(String message, Exception ex) {
        debug(message + ": " + ex);
    }

    @Override
    public void logTrace(String message) {
        debug(message);
    }

    @Override
    public void logInfo(String message) {
        debug(message);
    }

    @Override
    public void logWarning(String message) {
        debug(message);
    }

    @Override
    public void logError(String message) {
        error(message);
    }

    @Override
    public void logError(String message, Exception ex) {
        error(message + ": " + ex);
    }

    @Override
    public void logFatalError(String message) {
        error(message);
    }

    @Override
    public void logException(Throwable ex) {
        error(String.valueOf(ex));
    }

    @Override
    public void logStackTrace() {
        // stack traces of the stack's own call paths are noise here
    }

    @Override
    public void logStackTrace(int traceLevel) {
        // as above
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void disableLogging() {
        // levels are Logback's
    }

    @Override
    public void enableLogging() {
        // levels are Logback's
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        // not logged
    }

    @Override
    public void setStackProperties(Properties properties) {
        // levels are Logback's, not TRACE_LEVEL
    }

    @Override
    public String getLoggerName() {
        return LOGGER;
    }
}
