package io.meshgate.gateway.https;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * The ingress port's own TLS ({@code server.ssl.*}) gets the HTTPS listener's default versions and
 * cipher suites ({@link TlsProfile#DEFAULT}: TLS 1.3 and 1.2, forward-secret AEAD suites only)
 * unless the user chose either: {@code server.ssl.enabled-protocols} or {@code server.ssl.ciphers},
 * or, with {@code server.ssl.bundle}, the bundle's own {@code options}. Without this the port
 * served Netty's default list, which includes static-RSA suites without forward secrecy
 * ({@code AES128-SHA}, {@code AES128-GCM-SHA256}).
 *
 * <p>Only this factory's view changes: its {@link Ssl} is a copy (Spring Boot's
 * {@code ServerProperties} object is left alone; the management port, a child context, can share
 * it and keeps its own TLS settings, since child contexts do not apply this customizer), and its
 * bundles are seen through {@link ProfiledBundles}, which also gives renewed bundles the profile.
 * Runs after Spring Boot's own customizer, which sets the factory's {@code Ssl} and bundles.
 */
final class IngressTlsProfile implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		Ssl ssl = factory.getSsl();
		if (!Ssl.isEnabled(ssl) || ssl.getCiphers() != null || ssl.getEnabledProtocols() != null) {
			return;
		}
		if (ssl.getBundle() == null) {
			Ssl profiled = new Ssl();
			BeanUtils.copyProperties(ssl, profiled);
			profiled.setEnabledProtocols(TlsProfile.DEFAULT.protocols().toArray(String[]::new));
			profiled.setCiphers(TlsProfile.DEFAULT.ciphers().toArray(String[]::new));
			factory.setSsl(profiled);
		}
		// the bundle, and the bundles of server.ssl.server-name-bundles, when their options are unset
		if (factory.getSslBundles() != null) {
			factory.setSslBundles(new ProfiledBundles(factory.getSslBundles()));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/** Bundles as the application has them, with the profile's options where a bundle sets none. */
	private record ProfiledBundles(SslBundles bundles) implements SslBundles {

		@Override
		public SslBundle getBundle(String name) throws NoSuchSslBundleException {
			return profiled(bundles.getBundle(name));
		}

		@Override
		public void addBundleUpdateHandler(String name, Consumer<SslBundle> updateHandler)
				throws NoSuchSslBundleException {
			bundles.addBundleUpdateHandler(name, updated -> updateHandler.accept(profiled(updated)));
		}

		@Override
		public void addBundleRegisterHandler(BiConsumer<String, SslBundle> registerHandler) {
			bundles.addBundleRegisterHandler(registerHandler);
		}

		@Override
		public List<String> getBundleNames() {
			return bundles.getBundleNames();
		}

		private static SslBundle profiled(SslBundle bundle) {
			if (bundle.getOptions().isSpecified()) {
				return bundle;
			}
			SslOptions options = SslOptions.of(TlsProfile.DEFAULT.ciphers().toArray(String[]::new),
					TlsProfile.DEFAULT.protocols().toArray(String[]::new));
			return SslBundle.of(bundle.getStores(), bundle.getKey(), options, bundle.getProtocol(), bundle.getManagers());
		}

	}

}
