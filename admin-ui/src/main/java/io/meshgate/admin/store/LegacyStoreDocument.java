package io.meshgate.admin.store;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.emitter.Emitter;
import org.yaml.snakeyaml.events.DocumentEndEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.StreamEndEvent;
import org.yaml.snakeyaml.events.StreamStartEvent;

/**
 * The single-document layout of the route store, {@code meshgate-config.yaml}: {@code format: 1}
 * and {@code history:}, every version kept, newest first. Read one version at a time from the
 * parser's events: parsing the whole document at once takes many times its size in heap (four
 * versions of 10,000 routes, 16 MB, did not fit in 512 MB).
 */
final class LegacyStoreDocument implements Iterator<StoredConfig>, AutoCloseable {

	private final Path file;

	private final Reader reader;

	private final Iterator<Event> events;

	/** The first event of the next version, or of the end of the history. */
	private Event next;

	LegacyStoreDocument(Path file) throws IOException {
		this.file = file;
		this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
		try {
			this.events = Yaml.yaml().parse(reader).iterator();
			this.next = history();
		}
		catch (RuntimeException ex) {
			reader.close();
			throw unreadable(ex);
		}
	}

	/** Moves to the history's first version; the end of the history if there is none. */
	private Event history() {
		expect(Event.ID.StreamStart);
		expect(Event.ID.DocumentStart);
		expect(Event.ID.MappingStart);
		for (Event key = events.next(); !key.is(Event.ID.MappingEnd); key = events.next()) {
			skip(key);
			Event value = events.next();
			if (key instanceof ScalarEvent scalar && scalar.getValue().equals("history") && value.is(Event.ID.SequenceStart)) {
				return events.next();
			}
			skip(value);
		}
		return new StreamEndEvent(null, null);
	}

	private void expect(Event.ID id) {
		Event event = events.next();
		if (!event.is(id)) {
			throw new IllegalArgumentException(event + " (expected: a mapping with format and history)");
		}
	}

	/** Consumes the rest of the node that starts with {@code first}. */
	private void skip(Event first) {
		for (int depth = depth(first, 0); depth > 0; depth = depth(events.next(), depth)) {
			// nothing to keep
		}
	}

	private static int depth(Event event, int depth) {
		if (event.is(Event.ID.MappingStart) || event.is(Event.ID.SequenceStart)) {
			return depth + 1;
		}
		return event.is(Event.ID.MappingEnd) || event.is(Event.ID.SequenceEnd) ? depth - 1 : depth;
	}

	@Override
	public boolean hasNext() {
		return next.is(Event.ID.MappingStart);
	}

	/** The next version, newest first: its events written out as a document of their own and read. */
	@Override
	public StoredConfig next() {
		if (!hasNext()) {
			throw new NoSuchElementException("no more versions in " + file);
		}
		try {
			StringWriter text = new StringWriter();
			Emitter emitter = new Emitter(text, new DumperOptions());
			emitter.emit(new StreamStartEvent(null, null));
			emitter.emit(new DocumentStartEvent(null, null, false, null, null));
			Event event = next;
			for (int depth = depth(event, 0); ; depth = depth(event, depth)) {
				emitter.emit(event);
				if (depth == 0) {
					break;
				}
				event = events.next();
			}
			emitter.emit(new DocumentEndEvent(null, null, false));
			emitter.emit(new StreamEndEvent(null, null));
			next = events.next();
			Map<String, Object> version = Yaml.read(text.toString());
			return StoredConfig.fromDocument(version);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			throw unreadable(ex);
		}
	}

	private IllegalStateException unreadable(RuntimeException ex) {
		return new IllegalStateException("route store " + file + ": not a readable document (" + ex.getMessage()
				+ "); fix or move it away to start from application.yml again", ex);
	}

	@Override
	public void close() throws IOException {
		reader.close();
	}

}
