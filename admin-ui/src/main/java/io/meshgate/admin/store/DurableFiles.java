package io.meshgate.admin.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Files that a crash never leaves half-written: each is written to a temporary file next to it
 * ({@code .<name>.<pid>.tmp}), forced to disk, moved to its name atomically, and the directory
 * forced, so the name holds the old or the new content.
 */
final class DurableFiles {

	private static final Log log = LogFactory.getLog(DurableFiles.class);

	private DurableFiles() {
	}

	/** Returns once {@code text} is durable under {@code file}. */
	static void write(Path file, String text) {
		Path temp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
		try {
			try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING)) {
				ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			move(temp, file);
		}
		catch (IOException ex) {
			try {
				Files.deleteIfExists(temp);
			}
			catch (IOException ignored) {
				// removed at the next start
			}
			throw new UncheckedIOException("cannot write the route store " + file, ex);
		}
	}

	/** Renames {@code from} to {@code to} atomically (replacing it) and durably. */
	static void move(Path from, Path to) throws IOException {
		try {
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			throw new IOException("the file system of " + to.getParent() + " cannot replace files atomically", ex);
		}
		forceDirectory(to.getParent());
	}

	/** Makes a rename itself durable (POSIX); not possible on every platform, hence best effort. */
	private static void forceDirectory(Path directory) {
		try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
			dir.force(true);
		}
		catch (IOException | UnsupportedOperationException ex) {
			log.debug("Cannot force directory " + directory + ": " + ex.getMessage());
		}
	}

	/** Deletes a file no longer needed; a failure only leaves it for the next start. */
	static void delete(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			log.warn("Route store: cannot delete " + file + ": " + ex.getMessage());
		}
	}

	/** What a crash in the middle of a write leaves: never part of the store. */
	static void removeTemporaryFiles(Path directory) throws IOException {
		try (DirectoryStream<Path> temps = Files.newDirectoryStream(directory, ".*.tmp")) {
			for (Path temp : temps) {
				Files.deleteIfExists(temp);
			}
		}
	}

}
