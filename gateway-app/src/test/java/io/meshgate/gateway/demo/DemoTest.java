package io.meshgate.gateway.demo;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.policy.config.MeshProperties;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.SeededRandom;
import io.meshgate.policy.upstream.UpstreamRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** What a newcomer sees: the gateway with no configuration at all, its HTTP, gRPC and TCP demo. */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "meshgate.store.path=target/stores/demo-${random.uuid}" })
@ExtendWith(OutputCaptureExtension.class)
class DemoTest {

	@LocalServerPort
	int port;

	@LocalManagementPort
	int adminPort;

	@Autowired
	SeededRandom random;

	@Autowired
	DemoConfiguration.DemoUpstreams demo;

	@Autowired
	UpstreamRegistry upstreams;

	@Test
	void printsAGeneratedAdminPasswordOnceAndShowsTheDemoRouteReadOnly(CapturedOutput output) {
		Matcher printed = Pattern.compile("Meshgate admin login: user 'admin', password '([^']+)'").matcher(output.getOut());
		assertThat(printed.find()).as("the generated password is printed").isTrue();
		String password = printed.group(1);
		assertThat(printed.find()).as("printed once").isFalse();
		AdminClient admin = AdminClient.basic(adminPort, "admin", password);

		AdminClient.Answer routes = admin.get("/api/routes");

		assertThat(routes.status()).isEqualTo(200);
		assertThat(routes.body()).contains("\"source\":\"demo\",\"readOnly\":true").contains("\"id\":\"demo\"");

		AdminClient.Answer write = admin.put("/api/routes/demo",
				"{\"match\":{\"path\":\"/x/**\"},\"backends\":[{\"upstream\":\"demo-v1\"}]}", null);
		assertThat(write.status()).isEqualTo(400);
		assertThat(write.body()).contains("comes from demo and is read-only");
	}

	@Test
	void demoRouteBalancesOverBothV1EndpointsAndSendsOneInTenToV2() {
		random.reseed(SeededRandom.SEED);
		List<String> bodies = new GatewayClient(port).bodies(1000, 4, i -> "/demo/");

		Map<String, Long> byEndpoint = bodies.stream()
			.map(body -> body.replaceAll(".*\"endpoint\":\"([^\"]+)\".*", "$1"))
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		assertThat(byEndpoint).containsOnlyKeys("demo-v1-a", "demo-v1-b", "demo-v2-a");
		// one draw per request: seed 23's first 1,000 draws of nextInt(100) fall 100 times on 90-99
		assertThat(byEndpoint.get("demo-v2-a")).isEqualTo(100L);
		// round robin inside demo-v1: its two endpoints differ by at most one request
		assertThat(Math.abs(byEndpoint.get("demo-v1-a") - byEndpoint.get("demo-v1-b"))).isLessThanOrEqualTo(1L);
		assertThat(bodies.get(0)).startsWith("{\"service\":\"demo\",\"version\":\"v").contains("\"path\":\"/demo/\"");
	}

	@Test
	void aTesterForcesTheCanaryWithTheReadmesHeader() {
		List<String> bodies = new GatewayClient(port, Map.of("x-canary", "demo-v2")).bodies(20, 4, i -> "/demo/");

		assertThat(bodies).allSatisfy(body -> assertThat(body).contains("\"endpoint\":\"demo-v2-a\""));
	}

	@Test
	void aGrpcClientCallsTheDemoServiceThroughTheIngressPort() {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
		try {
			// the client's own first start (grpc-java's classes, the h2c connection) is not the call
			// under test; on a loaded machine it alone can take seconds
			await().atMost(Duration.ofSeconds(30)).until(() -> channel.getState(true) == ConnectivityState.READY);
			byte[] reply = ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
					DemoEcho.message("hello"));

			assertThat(DemoEcho.strings(reply)).containsExactly("hello", "demo-grpc-a");
			// the health check allows a loaded machine 5 s: the default 1 s could mark the only endpoint down
			assertThat(upstreams.get("demo-grpc").spec().healthCheck().timeout()).isEqualTo(Duration.ofSeconds(5));
			// a method the service lacks is a gRPC error, not an HTTP one
			MethodDescriptor<byte[], byte[]> missing = SAY.toBuilder()
				.setFullMethodName(MethodDescriptor.generateFullMethodName(DemoGrpcServer.SERVICE, "Shout"))
				.build();
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> ClientCalls.blockingUnaryCall(channel, missing, CallOptions.DEFAULT, DemoEcho.message("x")))
				.satisfies(e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
		}
		finally {
			channel.shutdownNow();
		}
	}

	/** The runnable examples of docs/websockets-and-sse.md: a WebSocket echo and a stream of events on the demo route. */
	@Test
	void theDemoRouteCarriesAWebSocketEchoAndServerSentEvents() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		BlockingQueue<String> texts = new LinkedBlockingQueue<>();
		WebSocket socket = http.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + port + "/demo/ws"), new WebSocket.Listener() {
				@Override
				public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
					texts.add(data.toString());
					webSocket.request(1);
					return null;
				}
			})
			.get(10, TimeUnit.SECONDS);
		socket.sendText("hello", true).get(5, TimeUnit.SECONDS);
		assertThat(texts.poll(10, TimeUnit.SECONDS)).matches("demo-v[12]-[ab]: hello");
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);

		HttpResponse<Stream<String>> events = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/demo/events")).build(),
				HttpResponse.BodyHandlers.ofLines());
		assertThat(events.headers().firstValue("content-type")).hasValue("text/event-stream");
		try (Stream<String> lines = events.body()) {
			assertThat(lines.filter(line -> line.startsWith("data: ")).limit(2).toList())
				.satisfiesExactly(first -> assertThat(first).matches("data: demo-v[12]-[ab] event 1"),
						second -> assertThat(second).matches("data: demo-v[12]-[ab] event 2"));
		}
	}

	@Test
	void theDemoTcpRouteRelaysConnectionsToItsTwoEchoEndpointsInTurn() throws Exception {
		Set<String> endpoints = new HashSet<>();
		for (int i = 0; i < 2; i++) {
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), demo.tcpPort())) {
				socket.setSoTimeout(10_000);
				BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
				endpoints.add(in.readLine());
				socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
				assertThat(in.readLine()).as("echoed while the client still sends").isEqualTo("hello");
				socket.getOutputStream().write("bye\n".getBytes(StandardCharsets.US_ASCII));
				socket.shutdownOutput();

				assertThat(in.readLine()).isEqualTo("bye");
				assertThat(in.read()).as("the echo ends after the client's FIN").isEqualTo(-1);
			}
		}
		assertThat(endpoints).containsExactlyInAnyOrder("demo-tcp-a", "demo-tcp-b");
	}

	/** {@code meshgate.demo.Echo/Say} with the demo's own message encoding. */
	private static final MethodDescriptor<byte[], byte[]> SAY = MethodDescriptor.<byte[], byte[]>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName(MethodDescriptor.generateFullMethodName(DemoGrpcServer.SERVICE, "Say"))
		.setRequestMarshaller(Bytes.INSTANCE)
		.setResponseMarshaller(Bytes.INSTANCE)
		.build();

	private enum Bytes implements MethodDescriptor.Marshaller<byte[]> {

		INSTANCE;

		@Override
		public InputStream stream(byte[] value) {
			return new ByteArrayInputStream(value);
		}

		@Override
		public byte[] parse(InputStream stream) {
			try {
				return stream.readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	@Test
	void demoStaysOffWhenTheUserConfiguresUpstreams() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withUserConfiguration(DemoConfiguration.class, Properties.class);

		runner.run(context -> assertThat(context).hasSingleBean(DemoConfiguration.DemoUpstreams.class));
		runner.withPropertyValues("meshgate.upstreams[0].name=orders", "meshgate.upstreams[0].endpoints[0]=http://10.0.0.1:80")
			.run(context -> assertThat(context).doesNotHaveBean(DemoConfiguration.DemoUpstreams.class));
		runner.withPropertyValues("meshgate.demo.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(DemoConfiguration.DemoUpstreams.class));
	}

	@org.springframework.boot.context.properties.EnableConfigurationProperties(MeshProperties.class)
	static class Properties {

	}

}
