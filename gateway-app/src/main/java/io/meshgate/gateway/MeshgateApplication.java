package io.meshgate.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Meshgate ingress: Spring Cloud Gateway with Meshgate's policies, admin UI and route store. */
@SpringBootApplication
public class MeshgateApplication {

	public static void main(String[] args) {
		SpringApplication.run(MeshgateApplication.class, args);
	}

}
