package io.meshgate.gateway.kubernetes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code meshgate.kubernetes.ingress.*}: serving Gateway API and Ingress objects.
 *
 * @param enabled watch the cluster's GatewayClasses, Gateways, HTTPRoutes and Ingresses; default false
 * @param controllerName the {@code spec.controllerName} of the GatewayClasses served; default
 * {@code meshgate.io/gateway-controller}
 * @param ingressClass the {@code ingressClassName} of the Ingresses served; default {@code meshgate}
 * @param debounce changes arriving within this time are translated and applied together; default 200ms
 * @param resync everything is translated again this often, which also picks up changed
 * ConfigMaps and Secrets (they are read, not watched); default 30s
 * @param addresses the addresses written into Gateway and Ingress status (IP or host name);
 * default: those of {@code publishService}
 * @param publishService {@code namespace/name} of the Service whose load-balancer addresses
 * (else cluster IP) are written into status, as ingress-nginx's {@code --publish-service};
 * used when {@code addresses} is empty
 * @param leaseName the Lease that elects the one replica writing status; default
 * {@code meshgate-ingress-status}
 * @param leaseNamespace its namespace; default: the gateway's own
 * @param identity this replica's name in the Lease; default: the {@code HOSTNAME} (pod name)
 * @param certificateDirectory where PEM data from ConfigMaps and Secrets is written for upstream
 * TLS (directory 0700, files 0600); default {@code ${java.io.tmpdir}/meshgate-kubernetes-tls}
 */
@ConfigurationProperties("meshgate.kubernetes.ingress")
public record IngressControllerProperties(Boolean enabled, String controllerName, String ingressClass,
		Duration debounce, Duration resync, List<String> addresses, String publishService, String leaseName,
		String leaseNamespace, String identity, Path certificateDirectory) {

	public static final String DEFAULT_CONTROLLER_NAME = "meshgate.io/gateway-controller";

	public IngressControllerProperties {
		enabled = enabled != null && enabled;
		controllerName = blank(controllerName) ? DEFAULT_CONTROLLER_NAME : controllerName;
		ingressClass = blank(ingressClass) ? "meshgate" : ingressClass;
		debounce = debounce == null ? Duration.ofMillis(200) : debounce;
		if (debounce.isNegative() || debounce.compareTo(Duration.ofSeconds(10)) > 0) {
			throw new IllegalArgumentException("debounce: " + debounce + " (expected: 0-10s)");
		}
		resync = resync == null ? Duration.ofSeconds(30) : resync;
		if (resync.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("resync: " + resync + " (expected: >= 1s)");
		}
		addresses = addresses == null ? List.of() : List.copyOf(addresses);
		if (!blank(publishService) && !publishService.matches("[a-z0-9-]+/[a-z0-9-]+")) {
			throw new IllegalArgumentException("publishService: " + publishService + " (expected: namespace/name)");
		}
		leaseName = blank(leaseName) ? "meshgate-ingress-status" : leaseName;
		identity = blank(identity) ? defaultIdentity() : identity;
		certificateDirectory = certificateDirectory == null
				? Path.of(System.getProperty("java.io.tmpdir"), "meshgate-kubernetes-tls") : certificateDirectory;
	}

	private static String defaultIdentity() {
		String host = System.getenv("HOSTNAME");
		return blank(host) ? "meshgate-" + ProcessHandle.current().pid() : host;
	}

	private static boolean blank(String text) {
		return text == null || text.isBlank();
	}

}
