package io.meshgate.policy.security.peer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The edge's client-certificate step on every listener ({@link PeerIdentityFilter}), with the
 * listeners' requirements by host when the application has them ({@link ClientCertificateHosts}).
 */
@AutoConfiguration
@EnableConfigurationProperties(PeerIdentityProperties.class)
public class PeerIdentityAutoConfiguration {

	@Bean
	PeerIdentityFilter peerIdentityFilter(PeerIdentityProperties properties,
			ObjectProvider<ClientCertificateHosts> hosts) {
		return new PeerIdentityFilter(properties.forwardDetails(), hosts.getIfUnique());
	}

}
