package io.meshgate.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.springframework.boot.loader.launch.Archive;
import org.springframework.boot.loader.launch.LaunchedClassLoader;

/**
 * Spring Boot's {@link LaunchedClassLoader}, finding a class or resource by asking the entry
 * tables of the nested jars that hold its directory, in class-path order.
 *
 * <p>
 * Why: {@link URLClassLoader} looks for a class in each jar of the class path in turn. For a
 * nested jar ({@code jar:nested:…!/}, a URL the JDK hands to Spring Boot's handler) each look
 * builds a URL, opens a connection and finds the jar in a cache keyed by URL. A class is found on
 * average 35 jars in (Meshgate's 195, to its first answer), so a start spent about a
 * second of one CPU on the looks alone (docs/design/launcher.md). Here a look is a map lookup of
 * the directory and an entry-table lookup in the one or two jars that hold it.
 *
 * <p>
 * The answers are the class loader's it extends: the same jar files, opened as
 * {@code JarUrlClassLoader} opens them (so a multi-release jar answers for the running Java); the
 * first jar holding an entry wins; a resource's URL is the class-path URL resolved against the
 * name, as {@code URLClassPath} makes it; a class's code source is its jar's URL, without
 * signers; its package is defined as Spring Boot's loader defines it, and sealing is checked. A
 * name that is not plain (see {@link #isPlain}) goes the JDK's way, and so does everything when a
 * class-path URL cannot be opened as a jar.
 * {@code NestedJarClassLoaderTest} runs the same application under both loaders and requires the
 * same answers for every entry of real jars.
 */
final class NestedJarClassLoader extends LaunchedClassLoader {

	static {
		ClassLoader.registerAsParallelCapable();
	}

	private static final String VERSIONS = "META-INF/versions/";

	private static final int[] NONE = {};

	/** The class path, in order; {@code jars[i]} is {@code urls[i]}'s jar file. */
	private final URL[] urls;

	private final JarFile[] jars;

	/**
	 * A directory ({@code ""} for the root) to the indexes of the jars with an entry directly in it,
	 * ascending. Every entry a jar answers for is in a directory listed for it: an entry of a
	 * multi-release jar's {@code META-INF/versions/N/} is listed under both its directories.
	 */
	private final Map<String, int[]> jarsByDirectory;

	private NestedJarClassLoader(Archive archive, URL[] urls, JarFile[] jars, ClassLoader parent) {
		super(false, archive, urls, parent);
		this.urls = urls;
		this.jars = jars;
		this.jarsByDirectory = directories(jars);
	}

	private static Map<String, int[]> directories(JarFile[] jars) {
		int feature = Runtime.version().feature();
		Map<String, int[]> directories = new HashMap<>(4096);
		for (int i = 0; i < jars.length; i++) {
			String last = null;
			for (Enumeration<JarEntry> entries = jars[i].entries(); entries.hasMoreElements();) {
				String name = entries.nextElement().getName();
				// entries usually come grouped by directory: no substring while the directory repeats
				int slash = directoryEnd(name);
				if (last != null && slash == last.length() && name.startsWith(last)) {
					continue;
				}
				last = (slash > 0) ? name.substring(0, slash) : "";
				add(directories, last, i);
				if (name.startsWith(VERSIONS)) {
					int end = name.indexOf('/', VERSIONS.length());
					if (end > 0 && version(name.substring(VERSIONS.length(), end)) <= feature) {
						String unversioned = name.substring(end + 1);
						int unversionedSlash = directoryEnd(unversioned);
						add(directories, (unversionedSlash > 0) ? unversioned.substring(0, unversionedSlash) : "", i);
						last = null;
					}
				}
			}
		}
		return directories;
	}

	/** The end of an entry name's directory: its last slash but a trailing one, or -1. */
	private static int directoryEnd(String name) {
		return name.lastIndexOf('/', name.length() - 2);
	}

	private static int version(String digits) {
		try {
			return Integer.parseInt(digits);
		}
		catch (NumberFormatException ex) {
			return Integer.MAX_VALUE;
		}
	}

	private static void add(Map<String, int[]> directories, String directory, int jar) {
		int[] jars = directories.get(directory);
		if (jars == null) {
			directories.put(directory, new int[] { jar });
		}
		else if (jars[jars.length - 1] != jar) {
			int[] more = Arrays.copyOf(jars, jars.length + 1);
			more[jars.length] = jar;
			directories.put(directory, more);
		}
	}

	/** The jars that may hold an entry of this name, ascending. */
	private int[] candidates(String name) {
		int slash = directoryEnd(name);
		int[] jars = this.jarsByDirectory.get((slash > 0) ? name.substring(0, slash) : "");
		return (jars != null) ? jars : NONE;
	}

	/**
	 * A loader for a packaged (not exploded) archive's class path; Spring Boot's own when a URL of
	 * it is not a jar.
	 */
	static ClassLoader create(Archive archive, URL[] urls, ClassLoader parent) throws IOException {
		JarFile[] jars = new JarFile[urls.length];
		for (int i = 0; i < urls.length; i++) {
			jars[i] = open(urls[i]);
			if (jars[i] == null) {
				closeAll(jars);
				return new LaunchedClassLoader(false, archive, urls, parent);
			}
		}
		return new NestedJarClassLoader(archive, urls.clone(), jars, parent);
	}

	/** The jar file as {@code JarUrlClassLoader} opens it for the same URL, or null. */
	private static JarFile open(URL url) throws IOException {
		URLConnection connection = url.openConnection();
		if (!(connection instanceof JarURLConnection jarConnection)) {
			return null;
		}
		connection.setUseCaches(false);
		return jarConnection.getJarFile();
	}

	@Override
	protected Class<?> findClass(String name) throws ClassNotFoundException {
		String path = name.replace('.', '/').concat(".class");
		for (int i : candidates(path)) {
			JarEntry entry = this.jars[i].getJarEntry(path);
			if (entry != null) {
				return define(name, this.jars[i], this.urls[i], entry);
			}
		}
		throw new ClassNotFoundException(name);
	}

	private Class<?> define(String name, JarFile jar, URL url, JarEntry entry) throws ClassNotFoundException {
		try {
			byte[] bytes;
			try (InputStream in = jar.getInputStream(entry)) {
				bytes = in.readAllBytes();
			}
			int dot = name.lastIndexOf('.');
			if (dot != -1) {
				definePackageOf(name.substring(0, dot), url);
			}
			// no signers, as URLClassPath gives a class from a URL it does not open as a jar itself
			// (its Resource for a nested jar has none); asking the entry would verify a signed
			// jar's every signature on its first class
			return defineClass(name, bytes, 0, bytes.length, new CodeSource(url, (CodeSigner[]) null));
		}
		catch (IOException ex) {
			throw new ClassNotFoundException(name, ex);
		}
	}

	/**
	 * {@code URLClassLoader.defineClass}'s package step for a resource without a manifest, which is
	 * what {@code URLClassPath} gives for a nested jar: a package is defined from its jar's manifest
	 * before (by {@code JarUrlClassLoader.loadClass}, when the jar has the package's directory
	 * entry), or here without one; a sealed package takes no class from another jar.
	 */
	private void definePackageOf(String packageName, URL url) {
		if (sealingChecked(packageName, url) != null) {
			return;
		}
		try {
			definePackage(packageName, null, null, null, null, null, null, null);
		}
		catch (IllegalArgumentException ex) {
			// another thread defined it first (the loader is parallel capable)
			if (sealingChecked(packageName, url) == null) {
				throw new AssertionError("Cannot find package " + packageName);
			}
		}
	}

	private Package sealingChecked(String packageName, URL url) {
		Package pkg = getDefinedPackage(packageName);
		if (pkg != null && pkg.isSealed() && !pkg.isSealed(url)) {
			throw new SecurityException("sealing violation: package " + packageName + " is sealed");
		}
		return pkg;
	}

	@Override
	public URL findResource(String name) {
		if (!isPlain(name)) {
			return super.findResource(name);
		}
		for (int i : candidates(name)) {
			if (this.jars[i].getEntry(name) != null) {
				return resourceUrl(i, name);
			}
		}
		return null;
	}

	@Override
	public Enumeration<URL> findResources(String name) throws IOException {
		if (!isPlain(name)) {
			return super.findResources(name);
		}
		List<URL> found = new ArrayList<>(2);
		for (int i : candidates(name)) {
			if (this.jars[i].getEntry(name) != null) {
				found.add(resourceUrl(i, name));
			}
		}
		return Collections.enumeration(found);
	}

	private URL resourceUrl(int index, String name) {
		try {
			// URLClassPath's URL for a plain name: its percent-encoding leaves such a name as it is
			return new URL(this.urls[index], name);
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException("Bad resource URL in " + this.urls[index], ex);
		}
	}

	/**
	 * Whether a resource name takes the direct way: letters, digits and {@code / . _ - $} only, not
	 * starting or ending with {@code /}, no {@code ..}. Such a name needs no percent-encoding in a
	 * URL and resolves to itself, so the entry asked for is the entry the URL names. Any other name
	 * (a directory's trailing slash, a space, a relative step) is answered by {@code URLClassPath}.
	 */
	static boolean isPlain(String name) {
		int length = name.length();
		if (length == 0 || name.charAt(0) == '/' || name.charAt(length - 1) == '/' || name.contains("..")) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char c = name.charAt(i);
			boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/'
					|| c == '.' || c == '_' || c == '-' || c == '$';
			if (!plain) {
				return false;
			}
		}
		return true;
	}

	@Override
	public void close() throws IOException {
		try {
			super.close();
		}
		finally {
			closeAll(this.jars);
		}
	}

	private static void closeAll(JarFile[] jars) throws IOException {
		IOException failure = null;
		for (JarFile jar : jars) {
			try {
				if (jar != null) {
					jar.close();
				}
			}
			catch (IOException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

}
