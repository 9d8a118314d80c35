package io.meshgate.launcher;

import java.net.URL;
import java.util.Collection;

import org.springframework.boot.loader.launch.JarLauncher;

/**
 * The executable jar's {@code Main-Class}: Spring Boot's {@link JarLauncher}, whose application
 * class loader looks classes and resources up in the nested jars' entry tables
 * ({@link NestedJarClassLoader}). An exploded jar (a directory) starts as Spring Boot starts it.
 */
public class MeshgateJarLauncher extends JarLauncher {

	public MeshgateJarLauncher() throws Exception {
	}

	@Override
	protected ClassLoader createClassLoader(Collection<URL> urls) throws Exception {
		if (isExploded()) {
			return super.createClassLoader(urls);
		}
		return NestedJarClassLoader.create(getArchive(), urls.toArray(new URL[0]), getClass().getClassLoader());
	}

	public static void main(String[] args) throws Exception {
		new MeshgateJarLauncher().launch(args);
	}

}
