package io.touchpoint.server.telemetry;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URL;

/**
 * Applies the setting {@code log.format}. logback.xml routes the root logger to the appender the variable
 * {@code TOUCHPOINT_LOG_FORMAT} names, read when logging starts (so the environment variable holds from the first
 * line); a format that comes from the config file or a flag is set here as a system property of that name (which
 * logback reads before the environment) and logback.xml is loaded again.
 */
public final class Logging {
    public static final String VARIABLE = "TOUCHPOINT_LOG_FORMAT";

    private Logging() {
    }

    /** Switches the log to {@code format} unless it is written so already. */
    /** How log lines are written: logfmt ({@code key=value}) or one JSON object a line (logback's JsonEncoder). */
    public enum Format {
        LOGFMT, JSON;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static void use(Format format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return; // another SLF4J binding
        String name = format.wireName();
        if (context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(name) != null) return;
        System.setProperty(VARIABLE, name);
        URL xml = Logging.class.getResource("/logback.xml");
        if (xml == null) return;
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        context.reset();
        try {
            configurator.doConfigure(xml);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure logging from " + xml + ": " + e.getMessage(), e);
        }
    }
}
