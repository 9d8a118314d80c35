package io.meshgate.launcher;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.springframework.boot.loader.tools.CustomLoaderLayout;
import org.springframework.boot.loader.tools.DefaultLayoutFactory;
import org.springframework.boot.loader.tools.Layout;
import org.springframework.boot.loader.tools.LoaderClassesWriter;
import org.springframework.boot.loader.tools.Layouts;

/**
 * spring-boot-maven-plugin's layout for Meshgate's executable jar (gateway-app's pom): Spring
 * Boot's jar layout, with {@link MeshgateJarLauncher} as the {@code Main-Class} and its classes
 * written beside Spring Boot's loader at the jar's root.
 */
public class MeshgateLayoutFactory extends DefaultLayoutFactory {

	/**
	 * The launcher's classes, written into the jar. Named, not referenced: the plugin runs this
	 * factory without Spring Boot's loader on its class path.
	 */
	static final String LAUNCHER = "io.meshgate.launcher.MeshgateJarLauncher";

	static final List<String> LAUNCHER_CLASSES = List.of(LAUNCHER, "io.meshgate.launcher.NestedJarClassLoader");

	@Override
	public Layout getLayout(File source) {
		Layout layout = super.getLayout(source);
		if (!(layout instanceof Layouts.Jar)) {
			throw new IllegalStateException(
					"Meshgate's launcher packages executable jars, not " + source.getName());
		}
		return new Jar();
	}

	static final class Jar extends Layouts.Jar implements CustomLoaderLayout {

		@Override
		public String getLauncherClassName() {
			return LAUNCHER;
		}

		@Override
		public void writeLoadedClasses(LoaderClassesWriter writer) throws IOException {
			writer.writeLoaderClasses();
			for (String name : LAUNCHER_CLASSES) {
				String path = name.replace('.', '/') + ".class";
				try (InputStream in = MeshgateLayoutFactory.class.getClassLoader().getResourceAsStream(path)) {
					if (in == null) {
						throw new IOException(path + " is not on spring-boot-maven-plugin's class path");
					}
					writer.writeEntry(path, in);
				}
			}
		}

	}

}
