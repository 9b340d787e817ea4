package io.thingpush.server.it.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Metrics and health are served on the management port, never on the public HTTP port; the
 * metrics name no tenant unless {@code management.tenantLabels} asks for it.
 */
class ManagementPortTest {
  private TestServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void metricsAndHealthAnswerOnTheManagementPortOnly() {
    server = TestServer.start();

    for (String path : new String[] {"/metrics", "/health", "/health/live", "/health/ready"}) {
      assertThat(server.get(path).status()).as("management %s", path).isEqualTo(200);
      TestServer.HttpResult publicPort =
          TestServer.send(
              HttpRequest.newBuilder(server.httpBase().resolve(path))
                  .timeout(TestServer.WAIT)
                  .build());
      assertThat(publicPort.status()).as("public %s", path).isEqualTo(404);
    }
  }

  @Test
  void byDefaultTheMetricsCountConnectionsWithoutNamingTenants() {
    server = TestServer.start();
    server.connectAs("alice");
    server.connect(
        server
            .options()
            .token(server.token("acme-user").tenant("acme").sign())
            .tenantCode("acme")
            .build());

    Waits.await().until(() -> server.metric("thingpush_connections") == 2);
    assertThat(server.get("/metrics").body()).doesNotContain("tenant=").doesNotContain("acme");
  }

  @Test
  void tenantLabelsCountConnectionsPerTenant() {
    server = TestServer.start(c -> c.get("management").put("tenantLabels", true));
    server.connectAs("alice");
    server.connect(
        server
            .options()
            .token(server.token("acme-user").tenant("acme").sign())
            .tenantCode("acme")
            .build());

    Waits.await().until(() -> server.metric("thingpush_connections{tenant=\"acme\"}") == 1);
    assertThat(server.metric("thingpush_connections{tenant=\"default\"}")).isEqualTo(1);
  }
}
