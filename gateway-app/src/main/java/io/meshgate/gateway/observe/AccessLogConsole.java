package io.meshgate.gateway.observe;

import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

import io.meshgate.policy.observe.AccessLog;

/**
 * Writes the access log's JSON lines to stdout as they are, without the timestamp and level
 * prefix of the other log lines, so that a log collector can parse every line starting with
 * {@code {}. Added to Spring Boot's default Logback configuration right after Boot set it up,
 * instead of a {@code logback-spring.xml}: parsing XML loaded about 400 classes at every start.
 * With a logging configuration of your own ({@code logging.config}), it stays out of the way:
 * configure logger {@value AccessLog#LOGGER} there.
 */
public final class AccessLogConsole implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ILoggerFactory factory = LoggerFactory.getILoggerFactory();
		if (event.getEnvironment().containsProperty(LoggingApplicationListener.CONFIG_PROPERTY)
				|| !(factory instanceof LoggerContext context)) {
			return;
		}
		Logger logger = context.getLogger(AccessLog.LOGGER);
		if (logger.iteratorForAppenders().hasNext()) {
			return; // already set up: a second application in the same JVM (tests)
		}
		PatternLayoutEncoder encoder = new PatternLayoutEncoder();
		encoder.setContext(context);
		encoder.setPattern("%msg%n");
		encoder.setCharset(StandardCharsets.UTF_8);
		encoder.start();
		ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
		console.setContext(context);
		console.setName("ACCESS");
		console.setEncoder(encoder);
		console.start();
		logger.addAppender(console);
		logger.setAdditive(false);
		if (logger.getLevel() == null) {
			logger.setLevel(Level.INFO);
		}
	}

	/** Right after Spring Boot's logging set-up, which runs on the same event. */
	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

}
